CREATE TABLE `message_images` (
	`message_id` varchar(100) NOT NULL,
	`image_id` char(36),
	`deleted_at` datetime(3),
	CONSTRAINT `message_images_message_id` PRIMARY KEY(`message_id`)
);
--> statement-breakpoint
CREATE TABLE `uploaders` (
	`owner_id` char(36) NOT NULL,
	CONSTRAINT `uploaders_owner_id` PRIMARY KEY(`owner_id`)
);
--> statement-breakpoint
CREATE INDEX `message_images_image` ON `message_images` (`image_id`,`deleted_at`);
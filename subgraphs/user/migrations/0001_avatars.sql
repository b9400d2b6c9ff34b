CREATE TABLE `avatar_images` (
	`owner_id` char(36) NOT NULL,
	`image_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `avatar_images_owner_id_image_id_pk` PRIMARY KEY(`owner_id`,`image_id`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_image_id` char(36);
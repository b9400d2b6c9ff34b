CREATE TABLE `images` (
	`id` char(36) NOT NULL,
	`owner_id` char(36) NOT NULL,
	`purpose` enum('MESSAGE','AVATAR','CHAT_PHOTO') NOT NULL,
	`status` enum('PROCESSING','READY','FAILED') NOT NULL,
	`failure_reason` varchar(200),
	`original_key` char(64) NOT NULL,
	`format` varchar(16) NOT NULL,
	`bytes` int unsigned NOT NULL,
	`width` int unsigned,
	`height` int unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`attached_at` datetime(3),
	CONSTRAINT `images_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `images_owner` ON `images` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `images_unattached` ON `images` (`attached_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `images_original` ON `images` (`original_key`);
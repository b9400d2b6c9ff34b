CREATE TABLE `files` (
	`id` char(36) NOT NULL,
	`owner_id` char(36) NOT NULL,
	`content_hash` char(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`content_type` varchar(127) NOT NULL,
	`bytes` int unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`attached_at` datetime(3),
	CONSTRAINT `files_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `files_owner` ON `files` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `files_unattached` ON `files` (`attached_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `files_content` ON `files` (`content_hash`);
CREATE TABLE `user_presence` (
	`user_id` char(36) NOT NULL,
	`status` enum('ONLINE','AWAY','OFFLINE') NOT NULL DEFAULT 'OFFLINE',
	`last_seen_at` datetime(3),
	`hidden` boolean NOT NULL DEFAULT false,
	`changed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `user_presence_user_id` PRIMARY KEY(`user_id`)
);
--> statement-breakpoint
CREATE INDEX `user_presence_status` ON `user_presence` (`status`,`user_id`);
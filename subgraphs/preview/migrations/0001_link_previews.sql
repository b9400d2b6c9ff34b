CREATE TABLE `link_previews` (
	`url_hash` char(64) NOT NULL,
	`url` varchar(2048) NOT NULL,
	`status` enum('PENDING','READY','FAILED') NOT NULL,
	`title` varchar(300),
	`description` varchar(1000),
	`site_name` varchar(100),
	`image_id` char(36),
	`image_source` varchar(2048),
	`pending_image_id` char(36),
	`pending_image_source` varchar(2048),
	`failure_reason` varchar(200),
	`settled_at` datetime(3),
	`expires_at` datetime(3),
	`claimed_by` varchar(100),
	`claimed_at` datetime(3),
	CONSTRAINT `link_previews_url_hash` PRIMARY KEY(`url_hash`)
);
--> statement-breakpoint
CREATE TABLE `preview_waiters` (
	`url_hash` char(64) NOT NULL,
	`message_id` varchar(100) NOT NULL,
	`chat_id` char(36) NOT NULL,
	CONSTRAINT `preview_waiters_url_hash_message_id_pk` PRIMARY KEY(`url_hash`,`message_id`)
);
--> statement-breakpoint
CREATE INDEX `link_previews_pending_image` ON `link_previews` (`pending_image_id`);
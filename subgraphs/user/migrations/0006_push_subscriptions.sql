CREATE TABLE `notification_settings` (
	`user_id` char(36) NOT NULL,
	`show_previews` boolean NOT NULL DEFAULT true,
	`email_digest` boolean NOT NULL DEFAULT true,
	CONSTRAINT `notification_settings_user_id` PRIMARY KEY(`user_id`)
);
--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`endpoint_hash` char(64) NOT NULL,
	`endpoint` varchar(1024) NOT NULL,
	`p256dh` varchar(128) NOT NULL,
	`auth` varchar(32) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `push_subscriptions_id` PRIMARY KEY(`id`),
	CONSTRAINT `push_subscriptions_endpoint` UNIQUE(`endpoint_hash`)
);
--> statement-breakpoint
CREATE INDEX `push_subscriptions_user` ON `push_subscriptions` (`user_id`,`created_at`);
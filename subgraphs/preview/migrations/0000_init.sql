CREATE TABLE `outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`msg_id` varchar(64) NOT NULL,
	`subject` varchar(200) NOT NULL,
	`payload` text NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`published_at` datetime(3),
	CONSTRAINT `outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `outbox_msg_id_unique` UNIQUE(`msg_id`)
);
--> statement-breakpoint
CREATE INDEX `outbox_published_at_id` ON `outbox` (`published_at`,`id`);
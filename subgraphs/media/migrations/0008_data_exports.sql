CREATE TABLE `data_export_parts` (
	`export_id` char(36) NOT NULL,
	`source` varchar(16) NOT NULL,
	`attempt` char(36) NOT NULL,
	`idx` int unsigned NOT NULL,
	`last` boolean NOT NULL,
	`refused` varchar(200),
	`content` mediumtext NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `data_export_parts_export_id_source_attempt_idx_pk` PRIMARY KEY(`export_id`,`source`,`attempt`,`idx`)
);
--> statement-breakpoint
CREATE TABLE `data_exports` (
	`id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`status` enum('PREPARING','READY','FAILED') NOT NULL,
	`failure_reason` varchar(200),
	`bytes` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`ready_at` datetime(3),
	`expires_at` datetime(3),
	`assembling_until` datetime(3),
	CONSTRAINT `data_exports_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `data_exports_user` ON `data_exports` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `data_exports_status` ON `data_exports` (`status`,`created_at`);
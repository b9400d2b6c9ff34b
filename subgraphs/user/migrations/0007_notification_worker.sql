CREATE TABLE `notification_read_marks` (
	`user_id` char(36) NOT NULL,
	`chat_id` char(36) NOT NULL,
	`read_seq` bigint unsigned NOT NULL,
	CONSTRAINT `notification_read_marks_chat_id_user_id_pk` PRIMARY KEY(`chat_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `pending_notifications` (
	`user_id` char(36) NOT NULL,
	`chat_id` char(36) NOT NULL,
	`first_seq` bigint unsigned NOT NULL,
	`last_seq` bigint unsigned NOT NULL,
	`sender_id` char(36) NOT NULL,
	`chat_kind` enum('DIRECT','GROUP') NOT NULL,
	`chat_name` varchar(100),
	`excerpt` text,
	`attachment` enum('IMAGE','FILE'),
	`first_at` datetime(3) NOT NULL,
	`due_at` datetime(3) NOT NULL,
	CONSTRAINT `pending_notifications_user_id_chat_id_pk` PRIMARY KEY(`user_id`,`chat_id`)
);
--> statement-breakpoint
CREATE INDEX `pending_notifications_due` ON `pending_notifications` (`due_at`);
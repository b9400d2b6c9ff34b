CREATE TABLE `chat_members` (
	`chat_id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`role` enum('OWNER','ADMIN','MEMBER') NOT NULL,
	`read_seq` bigint unsigned NOT NULL DEFAULT 0,
	`joined_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `chat_members_chat_id_user_id_pk` PRIMARY KEY(`chat_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `chats` (
	`id` char(36) NOT NULL,
	`kind` enum('DIRECT','GROUP') NOT NULL,
	`name` varchar(100),
	`direct_key` varchar(73),
	`last_seq` bigint unsigned NOT NULL DEFAULT 0,
	`last_activity_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `chats_id` PRIMARY KEY(`id`),
	CONSTRAINT `chats_direct_key` UNIQUE(`direct_key`)
);
--> statement-breakpoint
CREATE TABLE `known_users` (
	`id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `known_users_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`chat_id` char(36) NOT NULL,
	`seq` bigint unsigned NOT NULL,
	`sender_id` char(36) NOT NULL,
	`client_message_id` varchar(64) NOT NULL,
	`text` text,
	`image_id` char(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`edited_at` datetime(3),
	`deleted_at` datetime(3),
	CONSTRAINT `messages_chat_id_seq_pk` PRIMARY KEY(`chat_id`,`seq`),
	CONSTRAINT `messages_idempotency` UNIQUE(`chat_id`,`sender_id`,`client_message_id`)
);
--> statement-breakpoint
CREATE TABLE `user_chats` (
	`user_id` char(36) NOT NULL,
	`chat_id` char(36) NOT NULL,
	`last_activity_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `user_chats_user_id_chat_id_pk` PRIMARY KEY(`user_id`,`chat_id`)
);
--> statement-breakpoint
CREATE INDEX `user_chats_activity` ON `user_chats` (`user_id`,`last_activity_at`,`chat_id`);--> statement-breakpoint
CREATE INDEX `user_chats_chat` ON `user_chats` (`chat_id`);
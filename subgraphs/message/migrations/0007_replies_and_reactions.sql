CREATE TABLE `message_reactions` (
	`chat_id` char(36) NOT NULL,
	`seq` bigint unsigned NOT NULL,
	`emoji` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`user_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `message_reactions_chat_id_seq_emoji_user_id_pk` PRIMARY KEY(`chat_id`,`seq`,`emoji`,`user_id`)
);
--> statement-breakpoint
ALTER TABLE `messages` ADD `reply_to_seq` bigint unsigned;
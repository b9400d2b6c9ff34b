CREATE TABLE `chat_pins` (
	`chat_id` char(36) NOT NULL,
	`seq` bigint unsigned NOT NULL,
	`pinned_by` char(36) NOT NULL,
	`pinned_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `chat_pins_chat_id_seq_pk` PRIMARY KEY(`chat_id`,`seq`)
);
--> statement-breakpoint
ALTER TABLE `messages` ADD `forwarded` boolean DEFAULT false NOT NULL;
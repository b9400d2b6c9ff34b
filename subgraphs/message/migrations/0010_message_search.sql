CREATE TABLE `message_search` (
	`chat_id` char(36) NOT NULL,
	`seq` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`text` text NOT NULL,
	CONSTRAINT `message_search_chat_id_seq_pk` PRIMARY KEY(`chat_id`,`seq`)
);
--> statement-breakpoint
-- Stopwords stay searchable ("who", "about"); words shorter than innodb_ft_min_token_size (3) are not indexed.
SET SESSION innodb_ft_enable_stopword = 0;
--> statement-breakpoint
CREATE FULLTEXT INDEX `message_search_text` ON `message_search` (`text`);
--> statement-breakpoint
SET SESSION innodb_ft_enable_stopword = 1;
--> statement-breakpoint
INSERT INTO `message_search` (`chat_id`, `seq`, `created_at`, `text`)
  SELECT `chat_id`, `seq`, `created_at`, `text` FROM `messages` WHERE `text` IS NOT NULL AND `deleted_at` IS NULL;

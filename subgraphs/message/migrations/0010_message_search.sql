CREATE TABLE IF NOT EXISTS `message_search` (
	`chat_id` char(36) NOT NULL,
	`seq` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`text` text NOT NULL,
	CONSTRAINT `message_search_chat_id_seq_pk` PRIMARY KEY(`chat_id`,`seq`)
);
--> statement-breakpoint
-- Every statement below may run again after a failure (the DDL above committed already): the copy ignores rows
-- it made before, the index is made only when missing. The copy reads `messages` without locking it (READ
-- COMMITTED), so sends of a release still running go on meanwhile; the index is built after it, in one pass.
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
--> statement-breakpoint
INSERT IGNORE INTO `message_search` (`chat_id`, `seq`, `created_at`, `text`)
  SELECT `chat_id`, `seq`, `created_at`, `text` FROM `messages` WHERE `text` IS NOT NULL AND `deleted_at` IS NULL;
--> statement-breakpoint
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
--> statement-breakpoint
-- Stopwords stay searchable ("who", "about"); words shorter than innodb_ft_min_token_size (3) are not indexed.
SET SESSION innodb_ft_enable_stopword = 0;
--> statement-breakpoint
SET @letstalk_ddl = IF(
  (SELECT COUNT(*) FROM information_schema.statistics
    WHERE table_schema = DATABASE() AND table_name = 'message_search' AND index_name = 'message_search_text') = 0,
  'CREATE FULLTEXT INDEX `message_search_text` ON `message_search` (`text`)',
  'DO 0');
--> statement-breakpoint
PREPARE letstalk_ddl FROM @letstalk_ddl;
--> statement-breakpoint
EXECUTE letstalk_ddl;
--> statement-breakpoint
DEALLOCATE PREPARE letstalk_ddl;
--> statement-breakpoint
SET SESSION innodb_ft_enable_stopword = DEFAULT;

ALTER TABLE `known_images` MODIFY COLUMN `purpose` enum('MESSAGE','CHAT_PHOTO','FILE') NOT NULL DEFAULT 'MESSAGE';--> statement-breakpoint
ALTER TABLE `messages` ADD `file_id` char(36);
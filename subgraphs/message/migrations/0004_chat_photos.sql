ALTER TABLE `chats` ADD `photo_image_id` char(36);--> statement-breakpoint
ALTER TABLE `known_images` ADD `purpose` enum('MESSAGE','CHAT_PHOTO') DEFAULT 'MESSAGE' NOT NULL;
ALTER TABLE `images` ADD `original_cleaned` boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX `images_uncleaned` ON `images` (`original_cleaned`);--> statement-breakpoint
-- Images made READY before originals were cleaned: the worker cleans each once (an image whose cleaned copy
-- exists already is only marked).
UPDATE `images` SET `original_cleaned` = false WHERE `status` = 'READY';
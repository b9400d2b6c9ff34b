CREATE TABLE `image_messages` (
	`image_id` char(36) NOT NULL,
	`chat_id` char(36) NOT NULL,
	`seq` bigint unsigned NOT NULL,
	CONSTRAINT `image_messages_image_id_chat_id_seq_pk` PRIMARY KEY(`image_id`,`chat_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `known_images` (
	`owner_id` char(36) NOT NULL,
	`image_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `known_images_owner_id_image_id_pk` PRIMARY KEY(`owner_id`,`image_id`)
);

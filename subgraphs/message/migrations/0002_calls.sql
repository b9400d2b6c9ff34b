CREATE TABLE `calls` (
	`chat_id` char(36) NOT NULL,
	`id` char(36) NOT NULL,
	`caller_id` char(36) NOT NULL,
	`callee_id` char(36) NOT NULL,
	`state` enum('RINGING','ACTIVE','DECLINED','ENDED','MISSED') NOT NULL,
	`offer` text NOT NULL,
	`answer` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`answered_at` datetime(3),
	`ended_at` datetime(3),
	CONSTRAINT `calls_chat_id_id_pk` PRIMARY KEY(`chat_id`,`id`)
);
--> statement-breakpoint
CREATE INDEX `calls_state` ON `calls` (`chat_id`,`state`);
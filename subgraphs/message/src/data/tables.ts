import {
  bigint,
  boolean,
  char,
  index,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { binaryVarchar, createdAtColumn, dateTime3, type Database, type Transaction } from '@letstalk/db';
import { outbox } from '@letstalk/events';

export { outbox };

/**
 * Every table leads its key with the chat id (or, for the per-user chat list, the user id), so the
 * message side can be sharded by chat later (docs/architecture.md, "Scaling out").
 */
export const chats = mysqlTable(
  'chats',
  {
    id: char('id', { length: 36 }).primaryKey(),
    kind: mysqlEnum('kind', ['DIRECT', 'GROUP']).notNull(),
    name: varchar('name', { length: 100 }),
    /** A group's photo: an image of the media subgraph, uploaded by an admin for CHAT_PHOTO. */
    photoImageId: char('photo_image_id', { length: 36 }),
    /** "<smaller user id>:<larger user id>" for a direct chat: makes get-or-create a unique-key race. */
    directKey: varchar('direct_key', { length: 73 }),
    /** The last sequence number given out; read and raised under this row's lock. */
    lastSeq: bigint('last_seq', { mode: 'number', unsigned: true }).notNull().default(0),
    lastActivityAt: createdAtColumn('last_activity_at'),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [uniqueIndex('chats_direct_key').on(table.directKey)],
);

export const chatMembers = mysqlTable(
  'chat_members',
  {
    chatId: char('chat_id', { length: 36 }).notNull(),
    userId: char('user_id', { length: 36 }).notNull(),
    role: mysqlEnum('role', ['OWNER', 'ADMIN', 'MEMBER']).notNull(),
    /** The member's read mark: every message with seq <= this is read. */
    readSeq: bigint('read_seq', { mode: 'number', unsigned: true }).notNull().default(0),
    /**
     * Until when the member is not notified of new messages while away (`muteChat`); MUTED_FOREVER for a mute
     * without an end; null when not muted.
     */
    mutedUntil: dateTime3('muted_until'),
    joinedAt: createdAtColumn('joined_at'),
  },
  (table) => [primaryKey({ columns: [table.chatId, table.userId] })],
);

/** The per-user chat list, ordered by activity: one index range per page, never a scan across chats. */
export const userChats = mysqlTable(
  'user_chats',
  {
    userId: char('user_id', { length: 36 }).notNull(),
    chatId: char('chat_id', { length: 36 }).notNull(),
    lastActivityAt: createdAtColumn('last_activity_at'),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.chatId] }),
    index('user_chats_activity').on(table.userId, table.lastActivityAt, table.chatId),
    index('user_chats_chat').on(table.chatId),
  ],
);

export const messages = mysqlTable(
  'messages',
  {
    chatId: char('chat_id', { length: 36 }).notNull(),
    /** Per-chat position, given in the send transaction under the chat row's lock: commit order. */
    seq: bigint('seq', { mode: 'number', unsigned: true }).notNull(),
    senderId: char('sender_id', { length: 36 }).notNull(),
    /** The client's own id for a send: compared byte for byte, so "a" and "A" are two messages. */
    clientMessageId: binaryVarchar('client_message_id', { length: 64 }).notNull(),
    text: text('text'),
    imageId: char('image_id', { length: 36 }),
    /** A file attached to the message (the media subgraph's FileAttachment); a message has an image or a file. */
    fileId: char('file_id', { length: 36 }),
    /** The message of the same chat this one answers (`Message.replyTo`). */
    replyToSeq: bigint('reply_to_seq', { mode: 'number', unsigned: true }),
    /** A copy of a message of another chat (`forwardMessage`). */
    forwarded: boolean('forwarded').notNull().default(false),
    createdAt: createdAtColumn('created_at'),
    editedAt: dateTime3('edited_at'),
    deletedAt: dateTime3('deleted_at'),
  },
  (table) => [
    primaryKey({ columns: [table.chatId, table.seq] }),
    uniqueIndex('messages_idempotency').on(table.chatId, table.senderId, table.clientMessageId),
  ],
);

/**
 * Emoji reactions: one row per message, emoji and person. The key leads with the message, then the emoji, so a
 * message's reactions are one index range and counting one emoji's is a range inside it.
 */
export const messageReactions = mysqlTable(
  'message_reactions',
  {
    chatId: char('chat_id', { length: 36 }).notNull(),
    seq: bigint('seq', { mode: 'number', unsigned: true }).notNull(),
    /** Compared byte for byte: skin tones and presentation selectors make different reactions. */
    emoji: binaryVarchar('emoji', { length: 32 }).notNull(),
    userId: char('user_id', { length: 36 }).notNull(),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [primaryKey({ columns: [table.chatId, table.seq, table.emoji, table.userId] })],
);

/**
 * Who blocked whom. Keyed by the person who blocked (their list is one range); the second index answers "did any of
 * these people block me" for group invitations. Like `user_chats`, a per-user table.
 */
export const userBlocks = mysqlTable(
  'user_blocks',
  {
    blockerId: char('blocker_id', { length: 36 }).notNull(),
    blockedId: char('blocked_id', { length: 36 }).notNull(),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index('user_blocks_blocked').on(table.blockedId, table.blockerId),
  ],
);

/**
 * Each person's presence as others see it, worked out from the presence bucket (NATS) by the presence consumer and
 * the sweeper: the status now, when they were last connected, and whether they hide it. A per-user table; the
 * index on the status is the sweeper's list of people it thinks connected.
 */
export const userPresence = mysqlTable(
  'user_presence',
  {
    userId: char('user_id', { length: 36 }).primaryKey(),
    status: mysqlEnum('status', ['ONLINE', 'AWAY', 'OFFLINE']).notNull().default('OFFLINE'),
    /** When their last socket closed (set when they turn OFFLINE); null until then. */
    lastSeenAt: dateTime3('last_seen_at'),
    hidden: boolean('hidden').notNull().default(false),
    changedAt: createdAtColumn('changed_at'),
  },
  (table) => [index('user_presence_status').on(table.status, table.userId)],
);

/**
 * What `searchMessages` searches: each message's text, kept by the search indexer from message events (so a send
 * never waits for it). Its FULLTEXT index is made by hand in migration 0010 (drizzle-kit cannot declare one); a
 * larger installation swaps this for another SearchIndex (src/search/search-index.ts).
 */
export const messageSearch = mysqlTable(
  'message_search',
  {
    chatId: char('chat_id', { length: 36 }).notNull(),
    seq: bigint('seq', { mode: 'number', unsigned: true }).notNull(),
    createdAt: dateTime3('created_at').notNull(),
    text: text('text').notNull(),
  },
  (table) => [primaryKey({ columns: [table.chatId, table.seq] })],
);

/** Messages pinned to their chat: a chat's pins are one primary-key range. */
export const chatPins = mysqlTable(
  'chat_pins',
  {
    chatId: char('chat_id', { length: 36 }).notNull(),
    seq: bigint('seq', { mode: 'number', unsigned: true }).notNull(),
    pinnedBy: char('pinned_by', { length: 36 }).notNull(),
    pinnedAt: createdAtColumn('pinned_at'),
  },
  (table) => [primaryKey({ columns: [table.chatId, table.seq] })],
);

/**
 * 1:1 call signalling: who calls whom in which direct chat, and the SDP offer and answer. Media never
 * passes through LetsTalk; ICE candidates are relayed live and not stored.
 */
export const calls = mysqlTable(
  'calls',
  {
    chatId: char('chat_id', { length: 36 }).notNull(),
    id: char('id', { length: 36 }).notNull(),
    callerId: char('caller_id', { length: 36 }).notNull(),
    calleeId: char('callee_id', { length: 36 }).notNull(),
    state: mysqlEnum('state', ['RINGING', 'ACTIVE', 'DECLINED', 'ENDED', 'MISSED']).notNull(),
    offer: text('offer').notNull(),
    answer: text('answer'),
    createdAt: createdAtColumn('created_at'),
    answeredAt: dateTime3('answered_at'),
    endedAt: dateTime3('ended_at'),
  },
  (table) => [primaryKey({ columns: [table.chatId, table.id] }), index('calls_state').on(table.chatId, table.state)],
);

/** Accounts this subgraph has heard of (from `user.created`), so chats are only made with real people. */
export const knownUsers = mysqlTable('known_users', {
  id: char('id', { length: 36 }).primaryKey(),
  createdAt: createdAtColumn('created_at'),
});

/**
 * Uploads this subgraph may attach: images for messages or chat photos (from `media.image.uploaded`) and files for
 * messages (purpose FILE, from `media.file.uploaded`). Only its owner may use one. The table keeps its first name.
 */
export const knownImages = mysqlTable(
  'known_images',
  {
    ownerId: char('owner_id', { length: 36 }).notNull(),
    imageId: char('image_id', { length: 36 }).notNull(),
    purpose: mysqlEnum('purpose', ['MESSAGE', 'CHAT_PHOTO', 'FILE']).notNull().default('MESSAGE'),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [primaryKey({ columns: [table.ownerId, table.imageId] })],
);

/**
 * Which messages show an upload, an image or a file (`image_id` holds either: both are UUIDs of the media
 * subgraph), looked up by upload when an image becomes ready or a message is deleted (a lookup table: with the
 * message side sharded by chat, it is the one keyed by upload).
 */
export const imageMessages = mysqlTable(
  'image_messages',
  {
    imageId: char('image_id', { length: 36 }).notNull(),
    chatId: char('chat_id', { length: 36 }).notNull(),
    seq: bigint('seq', { mode: 'number', unsigned: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.imageId, table.chatId, table.seq] })],
);

export const tables = {
  chats,
  chatMembers,
  userChats,
  messages,
  messageReactions,
  chatPins,
  userBlocks,
  userPresence,
  messageSearch,
  calls,
  knownUsers,
  knownImages,
  imageMessages,
  outbox,
};

/** The subgraph's database: drizzle over its tables. */
export type MessageDb = Database<typeof tables>;
/** A transaction on MessageDb, for repositories that join their caller's transaction. */
export type MessageTx = Transaction<typeof tables>;

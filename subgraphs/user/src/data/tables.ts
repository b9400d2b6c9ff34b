import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  index,
  int,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { binaryChar, binaryVarchar, createdAtColumn, dateTime3, type Database, type Transaction } from '@letstalk/db';
import { outbox } from '@letstalk/events';

export { outbox };

export const users = mysqlTable(
  'users',
  {
    id: char('id', { length: 36 }).primaryKey(),
    /**
     * Lower-cased by every path that writes or looks it up, so case does not matter; compared byte for byte,
     * so accents and character widths do (an OIDC provider's "é…@" is not the account of "e…@").
     */
    email: binaryVarchar('email', { length: 254 }).unique(),
    firstName: varchar('first_name', { length: 64 }).notNull().default(''),
    lastName: varchar('last_name', { length: 64 }).notNull().default(''),
    /** Lower-cased "first last", the directory's sort and prefix-search key. */
    sortName: varchar('sort_name', { length: 130 }).notNull().default(''),
    /** The profile picture: an image of the media subgraph, uploaded by this user for AVATAR. */
    avatarImageId: char('avatar_image_id', { length: 36 }),
    /**
     * Set by `deleteAccount`: the row stays only so that the person's messages in others' chats still have a
     * sender ("Deleted user"); name, email and picture are gone, and nothing signs in as it.
     */
    deletedAt: dateTime3('deleted_at'),
    createdAt: createdAtColumn('created_at'),
    updatedAt: dateTime3('updated_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [index('users_sort_name_id').on(table.sortName, table.id), index('users_last_name').on(table.lastName)],
);

/**
 * One row per external account (provider + its subject id) linked to a LetsTalk user. A subject is the
 * provider's opaque id: compared byte for byte, so "Ab" and "ab" are two people.
 */
export const identities = mysqlTable(
  'identities',
  {
    provider: binaryVarchar('provider', { length: 40 }).notNull(),
    subject: binaryVarchar('subject', { length: 255 }).notNull(),
    userId: char('user_id', { length: 36 }).notNull(),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [primaryKey({ columns: [table.provider, table.subject] }), index('identities_user_id').on(table.userId)],
);

/** The one pending sign-in code per address; requesting a new code replaces it. */
export const emailCodes = mysqlTable('email_codes', {
  email: binaryVarchar('email', { length: 254 }).primaryKey(),
  codeHash: binaryChar('code_hash', { length: 64 }).notNull(),
  attempts: int('attempts').notNull().default(0),
  expiresAt: dateTime3('expires_at').notNull(),
  createdAt: createdAtColumn('created_at'),
});

/** A sign-in session: a family of refresh tokens; revoking it ends every token of the family. */
export const sessions = mysqlTable(
  'sessions',
  {
    id: char('id', { length: 36 }).primaryKey(),
    userId: char('user_id', { length: 36 }).notNull(),
    createdAt: createdAtColumn('created_at'),
    revokedAt: dateTime3('revoked_at'),
    revokedReason: varchar('revoked_reason', { length: 32 }),
  },
  (table) => [index('sessions_user_id').on(table.userId)],
);

export const refreshTokens = mysqlTable(
  'refresh_tokens',
  {
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: binaryChar('token_hash', { length: 64 }).primaryKey(),
    sessionId: char('session_id', { length: 36 }).notNull(),
    expiresAt: dateTime3('expires_at').notNull(),
    usedAt: dateTime3('used_at'),
    /**
     * Set when the token is exchanged: its successor, sealed with a key derived from this token (which the
     * database never holds), so that the same exchange repeated within the grace window answers the same.
     */
    successorSealed: varchar('successor_sealed', { length: 128 }),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [index('refresh_tokens_session_id').on(table.sessionId)],
);

/** Images uploaded for AVATAR (from `media.image.uploaded`): only its owner may make one their picture. */
export const avatarImages = mysqlTable(
  'avatar_images',
  {
    ownerId: char('owner_id', { length: 36 }).notNull(),
    imageId: char('image_id', { length: 36 }).notNull(),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [primaryKey({ columns: [table.ownerId, table.imageId] })],
);

/**
 * The browsers a person gets Web Push notifications on (`registerPushSubscription`): the push service's endpoint
 * (a URL the notification worker posts to, checked when registered and again at each send) and the browser's keys.
 * One endpoint belongs to whoever registered it last (`endpoint_hash`, its SHA-256, is unique).
 */
export const pushSubscriptions = mysqlTable(
  'push_subscriptions',
  {
    id: char('id', { length: 36 }).primaryKey(),
    userId: char('user_id', { length: 36 }).notNull(),
    endpointHash: char('endpoint_hash', { length: 64 }).notNull(),
    endpoint: varchar('endpoint', { length: 1024 }).notNull(),
    p256dh: varchar('p256dh', { length: 128 }).notNull(),
    auth: varchar('auth', { length: 32 }).notNull(),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [
    uniqueIndex('push_subscriptions_endpoint').on(table.endpointHash),
    index('push_subscriptions_user').on(table.userId, table.createdAt),
  ],
);

/** A person's notification choices; no row means the defaults (previews shown, email digest on). */
export const notificationSettings = mysqlTable('notification_settings', {
  userId: char('user_id', { length: 36 }).primaryKey(),
  /** Whether a notification shows the sender and the start of the message, or only that something came. */
  showPreviews: boolean('show_previews').notNull().default(true),
  /** Whether unread messages are emailed as a digest when the person has no browser for push. */
  emailDigest: boolean('email_digest').notNull().default(true),
});

/**
 * Notifications on their way, one per person and chat: the messages of a burst are counted into one row, which the
 * notification worker delivers once it is due (a push after NOTIFICATION_COALESCE_MS, an email digest after
 * NOTIFICATION_EMAIL_DELAY_MS) unless the person read the chat first (`chat.read`).
 */
export const pendingNotifications = mysqlTable(
  'pending_notifications',
  {
    userId: char('user_id', { length: 36 }).notNull(),
    chatId: char('chat_id', { length: 36 }).notNull(),
    /**
     * The first and the latest message of the burst (sequence numbers of the chat): how many came, whatever order
     * the requests arrive in or however often one is handled; the latest one is shown.
     */
    firstSeq: bigint('first_seq', { mode: 'number', unsigned: true }).notNull(),
    lastSeq: bigint('last_seq', { mode: 'number', unsigned: true }).notNull(),
    senderId: char('sender_id', { length: 36 }).notNull(),
    chatKind: mysqlEnum('chat_kind', ['DIRECT', 'GROUP']).notNull(),
    chatName: varchar('chat_name', { length: 100 }),
    excerpt: text('excerpt'),
    attachment: mysqlEnum('attachment', ['IMAGE', 'FILE']),
    firstAt: dateTime3('first_at').notNull(),
    dueAt: dateTime3('due_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.chatId] }),
    index('pending_notifications_due').on(table.dueAt),
  ],
);

/**
 * The latest read mark the notification worker heard of (`chat.read`), per person and chat: a request that
 * arrives after the person read past its message (the two events race) is not counted.
 */
export const notificationReadMarks = mysqlTable(
  'notification_read_marks',
  {
    userId: char('user_id', { length: 36 }).notNull(),
    chatId: char('chat_id', { length: 36 }).notNull(),
    readSeq: bigint('read_seq', { mode: 'number', unsigned: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.chatId, table.userId] })],
);

export const tables = {
  users,
  identities,
  emailCodes,
  sessions,
  refreshTokens,
  avatarImages,
  pushSubscriptions,
  notificationSettings,
  pendingNotifications,
  notificationReadMarks,
  outbox,
};

/** The subgraph's database: drizzle over its tables. */
export type UserDb = Database<typeof tables>;
/** A transaction on UserDb, for repositories that join their caller's transaction. */
export type UserTx = Transaction<typeof tables>;

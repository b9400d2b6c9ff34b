import { char, index, mysqlEnum, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import { dateTime3, type Database, type Transaction } from '@letstalk/db';
import { outbox } from '@letstalk/events';

export { outbox };

/**
 * The preview cache: one row per normalized link (keyed by its SHA-256), shared by every message that
 * shows it. `status` is what readers see. While a worker fetches the page (or waits for its image),
 * `claimed_by` names the event it is working for, so one fetch serves every message that arrives meanwhile
 * and a redelivered event picks its own work up again.
 */
export const linkPreviews = mysqlTable(
  'link_previews',
  {
    urlHash: char('url_hash', { length: 64 }).primaryKey(),
    url: varchar('url', { length: 2048 }).notNull(),
    status: mysqlEnum('status', ['PENDING', 'READY', 'FAILED']).notNull(),
    title: varchar('title', { length: 300 }),
    description: varchar('description', { length: 1000 }),
    siteName: varchar('site_name', { length: 100 }),
    /** The media subgraph's copy of the page's image, shown to readers. */
    imageId: char('image_id', { length: 36 }),
    /** The `og:image` URL that copy came from: a refresh that finds the same one keeps it. */
    imageSource: varchar('image_source', { length: 2048 }),
    /** An image asked of the media worker and not processed yet; shown once it is. */
    pendingImageId: char('pending_image_id', { length: 36 }),
    pendingImageSource: varchar('pending_image_source', { length: 2048 }),
    failureReason: varchar('failure_reason', { length: 200 }),
    /** When the row last settled (READY or FAILED). */
    settledAt: dateTime3('settled_at'),
    /** After this a new message with the link has the page fetched again (sooner for failures). */
    expiresAt: dateTime3('expires_at'),
    claimedBy: varchar('claimed_by', { length: 100 }),
    claimedAt: dateTime3('claimed_at'),
  },
  (table) => [index('link_previews_pending_image').on(table.pendingImageId)],
);

/** Messages shown with a PENDING (or refreshing) preview, told with `preview.updated` when it settles. */
export const previewWaiters = mysqlTable(
  'preview_waiters',
  {
    urlHash: char('url_hash', { length: 64 }).notNull(),
    messageId: varchar('message_id', { length: 100 }).notNull(),
    chatId: char('chat_id', { length: 36 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.urlHash, table.messageId] })],
);

export const tables = { outbox, linkPreviews, previewWaiters };

/** The subgraph's database: drizzle over its tables. */
export type PreviewDb = Database<typeof tables>;
/** A transaction on PreviewDb, for repositories that join their caller's transaction. */
export type PreviewTx = Transaction<typeof tables>;

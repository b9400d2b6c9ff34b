import { boolean, char, index, int, mysqlEnum, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { createdAtColumn, dateTime3, type Database, type Transaction } from '@letstalk/db';
import { outbox } from '@letstalk/events';

export { outbox };

/**
 * One row per upload. The upload is received under `original_key` (the SHA-256 of the file, so the same
 * file uploaded twice is stored once) and kept only until the worker has cleaned it: what is served lives
 * under `<key>.original` (the upload re-written upright, without metadata), `<key>.display` and
 * `<key>.thumbnail`. `bytes` is the upload's size, which counts against its owner's quota.
 */
export const images = mysqlTable(
  'images',
  {
    id: char('id', { length: 36 }).primaryKey(),
    ownerId: char('owner_id', { length: 36 }).notNull(),
    purpose: mysqlEnum('purpose', ['MESSAGE', 'AVATAR', 'CHAT_PHOTO', 'LINK_PREVIEW']).notNull(),
    status: mysqlEnum('status', ['PROCESSING', 'READY', 'FAILED']).notNull(),
    failureReason: varchar('failure_reason', { length: 200 }),
    originalKey: char('original_key', { length: 64 }).notNull(),
    /**
     * The format sharp read from the upload (jpeg, png, webp, gif or heif); once READY, the format of the
     * cleaned original (a HEIF/AVIF upload's is JPEG, or PNG when it has transparency).
     */
    format: varchar('format', { length: 16 }).notNull(),
    bytes: int('bytes', { unsigned: true }).notNull(),
    /** Of the upright image (EXIF orientation applied); known once processed. */
    width: int('width', { unsigned: true }),
    height: int('height', { unsigned: true }),
    createdAt: createdAtColumn('created_at'),
    /** Set when a message, profile or chat uses the image; an image never used is collected after a day. */
    attachedAt: dateTime3('attached_at'),
    /**
     * False for an image made READY by a release that served the upload as received: the worker cleans its
     * original once (cleanOldOriginals). Every image the worker makes READY now is cleaned on the way.
     */
    originalCleaned: boolean('original_cleaned').notNull().default(true),
  },
  (table) => [
    index('images_owner').on(table.ownerId, table.createdAt),
    index('images_unattached').on(table.attachedAt, table.createdAt),
    index('images_original').on(table.originalKey),
    index('images_uncleaned').on(table.originalCleaned),
  ],
);

/**
 * One row per person who has uploaded, locked while an upload is counted against their stored bytes, so
 * that two uploads at once (on any instance) are counted one after the other.
 */
export const uploaders = mysqlTable('uploaders', {
  ownerId: char('owner_id', { length: 36 }).primaryKey(),
});

/**
 * One row per file uploaded with `uploadFile`. Its bytes are stored under a key of its own (fileKey), with their
 * SHA-256 in `content_hash`. `name` is the uploader's file name made safe (fileNameOf), `content_type` what it is
 * served as (servedContentType: sniffed from the bytes, else from the name's extension; types a browser would
 * render or run are application/octet-stream). `bytes` counts against the owner's quota, as an image's does.
 */
export const files = mysqlTable(
  'files',
  {
    id: char('id', { length: 36 }).primaryKey(),
    ownerId: char('owner_id', { length: 36 }).notNull(),
    contentHash: char('content_hash', { length: 64 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    contentType: varchar('content_type', { length: 127 }).notNull(),
    bytes: int('bytes', { unsigned: true }).notNull(),
    createdAt: createdAtColumn('created_at'),
    /** Set when a message shows the file; a file never used is collected after a day, as an image is. */
    attachedAt: dateTime3('attached_at'),
  },
  (table) => [
    index('files_owner').on(table.ownerId, table.createdAt),
    index('files_unattached').on(table.attachedAt, table.createdAt),
    index('files_content').on(table.contentHash),
  ],
);

export const tables = { outbox, images, files, uploaders };

/** The subgraph's database: drizzle over its tables. */
export type MediaDb = Database<typeof tables>;
/** A transaction on MediaDb, for repositories that join their caller's transaction. */
export type MediaTx = Transaction<typeof tables>;

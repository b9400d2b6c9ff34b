import {
  bigint,
  boolean,
  char,
  index,
  int,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  varchar,
} from 'drizzle-orm/mysql-core';
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

/**
 * One row per archive asked for with `exportMyData`: PREPARING while its parts come in and the worker builds it
 * (`assembling_until` is the lease of the worker building it), then READY (stored under exportKey, until
 * `expires_at`) or FAILED (`failure_reason`).
 */
export const dataExports = mysqlTable(
  'data_exports',
  {
    id: char('id', { length: 36 }).primaryKey(),
    userId: char('user_id', { length: 36 }).notNull(),
    status: mysqlEnum('status', ['PREPARING', 'READY', 'FAILED']).notNull(),
    failureReason: varchar('failure_reason', { length: 200 }),
    bytes: bigint('bytes', { mode: 'number', unsigned: true }),
    createdAt: createdAtColumn('created_at'),
    readyAt: dateTime3('ready_at'),
    expiresAt: dateTime3('expires_at'),
    assemblingUntil: dateTime3('assembling_until'),
  },
  (table) => [
    index('data_exports_user').on(table.userId, table.createdAt),
    index('data_exports_status').on(table.status, table.createdAt),
  ],
);

/**
 * The parts the other subgraphs sent for an export (`media.export.part.<source>`), kept until the archive is built:
 * `content` is the part's chunks as JSON (at most MAX_DATA_EXPORT_PART_BYTES of text). Keyed by attempt: a source
 * that started over sends a new attempt, and the first one whole is used.
 */
export const dataExportParts = mysqlTable(
  'data_export_parts',
  {
    exportId: char('export_id', { length: 36 }).notNull(),
    source: varchar('source', { length: 16 }).notNull(),
    attempt: char('attempt', { length: 36 }).notNull(),
    idx: int('idx', { unsigned: true }).notNull(),
    last: boolean('last').notNull(),
    refused: varchar('refused', { length: 200 }),
    content: mediumtext('content').notNull(),
    createdAt: createdAtColumn('created_at'),
  },
  (table) => [primaryKey({ columns: [table.exportId, table.source, table.attempt, table.idx] })],
);

export const tables = { outbox, images, files, uploaders, dataExports, dataExportParts };

/** The subgraph's database: drizzle over its tables. */
export type MediaDb = Database<typeof tables>;
/** A transaction on MediaDb, for repositories that join their caller's transaction. */
export type MediaTx = Transaction<typeof tables>;

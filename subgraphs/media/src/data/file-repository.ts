import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { enqueueEvent, mediaFileUploaded } from '@letstalk/events';
import type { Storage } from '../storage/storage.ts';
import { files, type MediaDb, type MediaTx } from './tables.ts';

export type FileRow = typeof files.$inferSelect;

/**
 * Where a file's bytes are stored: a key of its own (from its id), never shared with another upload of the same
 * bytes, so deleting one file can never race another's upload of those bytes (images share keys by content).
 */
export const fileKey = (fileId: string) => `${createHash('sha256').update(fileId).digest('hex')}.file`;

/**
 * Records a stored file and, in the same transaction, `media.file.uploaded`, which tells the message subgraph
 * whose it is (outbox: nothing is lost if the process dies after the commit).
 */
export async function insertFile(
  tx: MediaTx,
  input: Pick<FileRow, 'id' | 'ownerId' | 'contentHash' | 'name' | 'contentType' | 'bytes'>,
): Promise<FileRow> {
  const row: FileRow = { ...input, createdAt: new Date(), attachedAt: null };
  await tx.insert(files).values(row);
  await enqueueEvent(tx, mediaFileUploaded, { fileId: row.id, ownerId: row.ownerId });
  return row;
}

export function findFiles(db: MediaDb, ids: readonly string[]): Promise<FileRow[]> {
  return db
    .select()
    .from(files)
    .where(inArray(files.id, [...ids]));
}

/** Marks a file as in use (a message shows it): it is no longer collected. */
export async function markFileAttached(db: MediaDb, fileId: string): Promise<void> {
  await db
    .update(files)
    .set({ attachedAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(and(eq(files.id, fileId), isNull(files.attachedAt)));
}

/** Files never used and older than `cutoff`, oldest first. */
export function unattachedFilesBefore(db: MediaDb, cutoff: Date, limit: number) {
  return db
    .select({ id: files.id })
    .from(files)
    .where(and(isNull(files.attachedAt), lt(files.createdAt, cutoff)))
    .orderBy(files.createdAt)
    .limit(limit);
}

/** Deletes files and their bytes (each file has its own: {@link fileKey}). */
export async function deleteFiles(db: MediaDb, storage: Storage, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(files).where(inArray(files.id, ids));
  for (const id of ids) await storage.delete(fileKey(id));
}

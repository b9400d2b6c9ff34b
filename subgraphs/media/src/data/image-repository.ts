import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { enqueueEvent, mediaImageUploaded } from '@letstalk/events';
import type { MediaDb } from '../context.ts';
import type { Storage } from '../storage/storage.ts';
import { images } from './tables.ts';

export type ImageRow = typeof images.$inferSelect;
export type ImagePurpose = ImageRow['purpose'];

/**
 * Records a stored upload as PROCESSING and, in the same transaction, the event that has the image worker
 * make its variants (outbox: nothing is lost if the process dies after the commit).
 */
export async function createImage(
  db: MediaDb,
  input: { ownerId: string; purpose: ImagePurpose; originalKey: string; format: string; bytes: number; id?: string; attached?: boolean },
): Promise<ImageRow> {
  const row: ImageRow = {
    id: input.id ?? randomUUID(),
    ownerId: input.ownerId,
    purpose: input.purpose,
    status: 'PROCESSING',
    failureReason: null,
    originalKey: input.originalKey,
    format: input.format,
    bytes: input.bytes,
    width: null,
    height: null,
    createdAt: new Date(),
    attachedAt: input.attached ? new Date() : null,
  };
  await db.transaction(async (tx) => {
    await tx.insert(images).values(row);
    await enqueueEvent(tx, mediaImageUploaded, { imageId: row.id, ownerId: row.ownerId, purpose: row.purpose, originalKey: row.originalKey });
  });
  return row;
}

export function findImages(db: MediaDb, ids: readonly string[]): Promise<ImageRow[]> {
  return db.select().from(images).where(inArray(images.id, [...ids]));
}

/** Marks an image as in use (a message shows it, or it is someone's picture): it is no longer collected. */
export async function markAttached(db: MediaDb, imageId: string): Promise<void> {
  await db.update(images).set({ attachedAt: sql`CURRENT_TIMESTAMP(3)` }).where(and(eq(images.id, imageId), isNull(images.attachedAt)));
}

/** Images never used and older than `cutoff`, oldest first. */
export function unattachedBefore(db: MediaDb, cutoff: Date, limit: number) {
  return db
    .select({ id: images.id })
    .from(images)
    .where(and(isNull(images.attachedAt), lt(images.createdAt, cutoff)))
    .orderBy(images.createdAt)
    .limit(limit);
}

/**
 * Deletes images, and their files once no other image has the same content (uploads are stored by
 * content, so two uploads of one file share them).
 */
export async function deleteImages(db: MediaDb, storage: Storage, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await findImages(db, ids);
  await db.delete(images).where(inArray(images.id, ids));
  for (const key of new Set(rows.map((row) => row.originalKey))) {
    const [stillUsed] = await db.select({ id: images.id }).from(images).where(eq(images.originalKey, key)).limit(1);
    if (stillUsed) continue;
    await Promise.all([key, `${key}.thumbnail`, `${key}.display`].map((each) => storage.delete(each)));
  }
}

import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { enqueueEvent, mediaImageUploaded } from '@letstalk/events';
import type { MediaDb, MediaTx } from './tables.ts';
import type { Storage } from '../storage/storage.ts';
import { images, uploaders } from './tables.ts';

export type ImageRow = typeof images.$inferSelect;
type ImagePurpose = ImageRow['purpose'];

export interface NewImage {
  ownerId: string;
  purpose: ImagePurpose;
  originalKey: string;
  format: string;
  bytes: number;
  id?: string;
  attached?: boolean;
}

/** Inserts an image PROCESSING with the event that has the image worker make its variants. */
async function insertImage(tx: MediaTx, input: NewImage): Promise<ImageRow> {
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
    // The worker cleans it on its way to READY.
    originalCleaned: true,
  };
  await tx.insert(images).values(row);
  await enqueueEvent(tx, mediaImageUploaded, {
    imageId: row.id,
    ownerId: row.ownerId,
    purpose: row.purpose,
    originalKey: row.originalKey,
  });
  return row;
}

/**
 * Records a stored image as PROCESSING and, in the same transaction, the event that has the image worker
 * make its variants (outbox: nothing is lost if the process dies after the commit).
 */
export function createImage(db: MediaDb, input: NewImage): Promise<ImageRow> {
  return db.transaction((tx) => insertImage(tx, input));
}

/** Bytes of the uploads someone has stored (every image of theirs not deleted, whatever its status). */
export async function storedBytes(db: MediaDb | MediaTx, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string | null>`SUM(${images.bytes})` })
    .from(images)
    .where(eq(images.ownerId, ownerId));
  return Number(row?.total ?? 0);
}

/**
 * Records an upload as {@link createImage} does, unless it would take its owner's stored bytes past
 * `maxStoredBytes`. The owner's `uploaders` row is locked first, so two uploads of one person at once (on
 * any instance) are counted one after the other; `store` puts the file in the storage under that lock,
 * once it is known to fit, so nothing is stored past the quota. Refused: how many bytes the owner has.
 */
export async function createImageWithinQuota(
  db: MediaDb,
  input: NewImage,
  maxStoredBytes: number,
  store: () => Promise<void>,
): Promise<{ image: ImageRow } | { refused: { storedBytes: number } }> {
  return db.transaction(async (tx) => {
    await tx
      .insert(uploaders)
      .values({ ownerId: input.ownerId })
      .onDuplicateKeyUpdate({ set: { ownerId: input.ownerId } });
    await tx.select().from(uploaders).where(eq(uploaders.ownerId, input.ownerId)).for('update');
    const stored = await storedBytes(tx, input.ownerId);
    if (stored + input.bytes > maxStoredBytes) return { refused: { storedBytes: stored } };
    await store();
    return { image: await insertImage(tx, input) };
  });
}

export function findImages(db: MediaDb, ids: readonly string[]): Promise<ImageRow[]> {
  return db
    .select()
    .from(images)
    .where(inArray(images.id, [...ids]));
}

/** Marks an image as in use (a message shows it, or it is someone's picture): it is no longer collected. */
export async function markAttached(db: MediaDb, imageId: string): Promise<void> {
  await db
    .update(images)
    .set({ attachedAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(and(eq(images.id, imageId), isNull(images.attachedAt)));
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
    await Promise.all(
      [key, `${key}.original`, `${key}.thumbnail`, `${key}.display`].map((each) => storage.delete(each)),
    );
  }
}

/**
 * Deletes an image the message subgraph released (no message shows it any more). Only a message's picture:
 * an event never makes this delete anyone's avatar or a group's photo.
 */
export async function deleteReleasedMessageImage(db: MediaDb, storage: Storage, imageId: string): Promise<void> {
  const [image] = await findImages(db, [imageId]);
  if (image?.purpose === 'MESSAGE') await deleteImages(db, storage, [image.id]);
}

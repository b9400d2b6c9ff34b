import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { enqueueEvent, mediaImageUploaded } from '@letstalk/events';
import type { MediaDb, MediaTx } from './tables.ts';
import type { Storage } from '../storage/storage.ts';
import { files, images, uploaders } from './tables.ts';

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

/** Bytes of the uploads someone has stored: every image and file of theirs not deleted, whatever its status. */
export async function storedBytes(db: MediaDb | MediaTx, ownerId: string): Promise<number> {
  const [imageBytes] = await db
    .select({ total: sql<string | null>`SUM(${images.bytes})` })
    .from(images)
    .where(eq(images.ownerId, ownerId));
  const [fileBytes] = await db
    .select({ total: sql<string | null>`SUM(${files.bytes})` })
    .from(files)
    .where(eq(files.ownerId, ownerId));
  return Number(imageBytes?.total ?? 0) + Number(fileBytes?.total ?? 0);
}

/**
 * Records an upload (`insert`, in a transaction) unless its `bytes` would take its owner's stored bytes past
 * `maxStoredBytes`. The owner's `uploaders` row is locked first, so two uploads of one person at once (on any
 * instance) are counted one after the other; `store` puts the file in the storage under that lock, once it is
 * known to fit, so nothing is stored past the quota. Refused: how many bytes the owner has.
 */
export async function storeWithinQuota<Row>(
  db: MediaDb,
  upload: { ownerId: string; bytes: number },
  maxStoredBytes: number,
  store: () => Promise<void>,
  insert: (tx: MediaTx) => Promise<Row>,
): Promise<{ stored: Row } | { refused: { storedBytes: number } }> {
  return db.transaction(async (tx) => {
    await tx
      .insert(uploaders)
      .values({ ownerId: upload.ownerId })
      .onDuplicateKeyUpdate({ set: { ownerId: upload.ownerId } });
    await tx.select().from(uploaders).where(eq(uploaders.ownerId, upload.ownerId)).for('update');
    const stored = await storedBytes(tx, upload.ownerId);
    if (stored + upload.bytes > maxStoredBytes) return { refused: { storedBytes: stored } };
    await store();
    return { stored: await insert(tx) };
  });
}

/** Records an image as {@link createImage} does, within its owner's stored quota ({@link storeWithinQuota}). */
export function createImageWithinQuota(
  db: MediaDb,
  input: NewImage,
  maxStoredBytes: number,
  store: () => Promise<void>,
) {
  return storeWithinQuota(db, input, maxStoredBytes, store, (tx) => insertImage(tx, input));
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

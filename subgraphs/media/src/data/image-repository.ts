import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { enqueueEvent, mediaImageUploaded } from '@letstalk/events';
import type { MediaDb } from '../context.ts';
import { images } from './tables.ts';

export type ImageRow = typeof images.$inferSelect;
export type ImagePurpose = ImageRow['purpose'];

/**
 * Records a stored upload as PROCESSING and, in the same transaction, the event that has the image worker
 * make its variants (outbox: nothing is lost if the process dies after the commit).
 */
export async function createImage(
  db: MediaDb,
  input: { ownerId: string; purpose: ImagePurpose; originalKey: string; format: string; bytes: number },
): Promise<ImageRow> {
  const row: ImageRow = {
    id: randomUUID(),
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
    attachedAt: null,
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

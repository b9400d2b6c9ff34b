import { and, eq, sql } from 'drizzle-orm';
import { lookAgain } from '@letstalk/server';
import type { MessageDb, MessageTx } from './tables.ts';
import { KNOWN_IMAGE_WAIT_MS } from '../limits.ts';
import { imageMessages, knownImages } from './tables.ts';

export type KnownImagePurpose = 'MESSAGE' | 'CHAT_PHOTO';

/** Records an image uploaded for messages or chat photos, announced by `media.image.uploaded` (idempotent). */
export async function recordKnownImage(
  db: MessageDb,
  ownerId: string,
  imageId: string,
  purpose: KnownImagePurpose,
): Promise<void> {
  await db.insert(knownImages).values({ ownerId, imageId, purpose }).onDuplicateKeyUpdate({ set: { imageId } });
}

/**
 * Whether `imageId` is an image `ownerId` uploaded for `purpose`. An upload of a moment ago may not have
 * reached this subgraph yet, so it is looked up again for up to {@link KNOWN_IMAGE_WAIT_MS}.
 */
export function isOwnImage(
  db: MessageDb,
  ownerId: string,
  imageId: string,
  purpose: KnownImagePurpose,
): Promise<boolean> {
  return lookAgain(async () => {
    const [found] = await db
      .select({ imageId: knownImages.imageId })
      .from(knownImages)
      .where(and(eq(knownImages.ownerId, ownerId), eq(knownImages.imageId, imageId), eq(knownImages.purpose, purpose)));
    return found !== undefined;
  }, KNOWN_IMAGE_WAIT_MS);
}

/** The messages that show an image. */
export function messagesShowing(db: MessageDb, imageId: string) {
  return db
    .select({ chatId: imageMessages.chatId, seq: imageMessages.seq })
    .from(imageMessages)
    .where(eq(imageMessages.imageId, imageId));
}

/**
 * Whether a message still shows an image, for a forward of it (the original's image stays only while a message
 * shows it). Its rows are read under a shared lock, so a deletion releasing it either waits for the forward or is
 * seen to have released it.
 */
export async function isStillShown(tx: MessageTx, imageId: string): Promise<boolean> {
  // LOCK IN SHARE MODE: MariaDB 10.11 has no FOR SHARE (what drizzle's `.for('share')` writes); MySQL 8 has both.
  const [rows] = await tx.execute(
    sql`SELECT 1 FROM ${imageMessages} WHERE ${imageMessages.imageId} = ${imageId} LOCK IN SHARE MODE`,
  );
  return (rows as unknown as unknown[]).length > 0;
}

import { and, eq, sql } from 'drizzle-orm';
import { lookAgain } from '@letstalk/server';
import type { MessageDb, MessageTx } from './tables.ts';
import { KNOWN_IMAGE_WAIT_MS } from '../limits.ts';
import { imageMessages, knownImages } from './tables.ts';

/** An image for messages or chat photos, or (FILE) a file for messages. */
export type KnownUploadPurpose = 'MESSAGE' | 'CHAT_PHOTO' | 'FILE';

/**
 * Records an upload: an image for messages or chat photos (`media.image.uploaded`) or a file for messages
 * (`media.file.uploaded`). Idempotent.
 */
export async function recordKnownUpload(
  db: MessageDb,
  ownerId: string,
  imageId: string,
  purpose: KnownUploadPurpose,
): Promise<void> {
  await db.insert(knownImages).values({ ownerId, imageId, purpose }).onDuplicateKeyUpdate({ set: { imageId } });
}

/**
 * Whether `imageId` is an upload (an image, or a file for FILE) `ownerId` made for `purpose`. An upload of a moment ago may not have
 * reached this subgraph yet, so it is looked up again for up to {@link KNOWN_IMAGE_WAIT_MS}.
 */
export function isOwnUpload(
  db: MessageDb,
  ownerId: string,
  imageId: string,
  purpose: KnownUploadPurpose,
): Promise<boolean> {
  return lookAgain(async () => {
    const [found] = await db
      .select({ imageId: knownImages.imageId })
      .from(knownImages)
      .where(and(eq(knownImages.ownerId, ownerId), eq(knownImages.imageId, imageId), eq(knownImages.purpose, purpose)));
    return found !== undefined;
  }, KNOWN_IMAGE_WAIT_MS);
}

/** The messages that show an upload (an image or a file). */
export function messagesShowing(db: MessageDb, imageId: string) {
  return db
    .select({ chatId: imageMessages.chatId, seq: imageMessages.seq })
    .from(imageMessages)
    .where(eq(imageMessages.imageId, imageId));
}

/**
 * Whether a message still shows an upload (an image or a file), for a forward of it (the original's upload stays
 * only while a message shows it). Its rows are read under a shared lock, so a deletion releasing it either waits for the forward or is
 * seen to have released it.
 */
export async function isStillShown(tx: MessageTx, imageId: string): Promise<boolean> {
  // LOCK IN SHARE MODE: MariaDB 10.11 has no FOR SHARE (what drizzle's `.for('share')` writes); MySQL 8 has both.
  const [rows] = await tx.execute(
    sql`SELECT 1 FROM ${imageMessages} WHERE ${imageMessages.imageId} = ${imageId} LOCK IN SHARE MODE`,
  );
  return (rows as unknown as unknown[]).length > 0;
}

/**
 * Forgets that a deleted message shows its upload (an image or a file); when no other message shows it, it is
 * released: nobody can attach it again, and `message.deleted` tells the media worker to delete it. Its rows
 * are locked first, so two deletions of the last two messages showing it cannot both see the other.
 * (This reads the lookup table keyed by image, across chats: with the message side sharded by chat, that
 * table lives in its own keyspace and this becomes a lookup there.)
 */
export async function releaseUpload(
  tx: MessageTx,
  imageId: string,
  message: { chatId: string; seq: number },
): Promise<string | null> {
  const showing = await tx.select().from(imageMessages).where(eq(imageMessages.imageId, imageId)).for('update');
  await tx
    .delete(imageMessages)
    .where(
      and(
        eq(imageMessages.imageId, imageId),
        eq(imageMessages.chatId, message.chatId),
        eq(imageMessages.seq, message.seq),
      ),
    );
  const others = showing.filter((row) => !(row.chatId === message.chatId && row.seq === message.seq));
  if (others.length > 0) return null;
  await tx.delete(knownImages).where(eq(knownImages.imageId, imageId));
  return imageId;
}

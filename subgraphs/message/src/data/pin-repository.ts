import { and, eq, inArray } from 'drizzle-orm';
import { chatPinsChanged, enqueueEvent } from '@letstalk/events';
import { messageIdOf } from '@letstalk/server';
import { MAX_PINNED_MESSAGES_PER_CHAT } from '../limits.ts';
import { chatPins, type MessageDb, type MessageTx } from './tables.ts';

export type PinRow = typeof chatPins.$inferSelect;
/** A message of a chat, by its primary key. */
type MessageKey = { chatId: string; seq: number };

/** The pins of several chats, in one statement (each chat's is one primary-key range). */
export function findPins(db: MessageDb, chatIds: readonly string[]): Promise<PinRow[]> {
  if (chatIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(chatPins)
    .where(inArray(chatPins.chatId, [...chatIds]));
}

const pinEvent = (message: MessageKey, pinned: boolean, by: string) => ({
  chatId: message.chatId,
  messageId: messageIdOf(message),
  seq: message.seq,
  pinned,
  by,
});

/**
 * Pins a message the caller locked with its chat (so a chat's pins are counted under its lock): 'unchanged' when
 * it is pinned already, 'full' at MAX_PINNED_MESSAGES_PER_CHAT.
 */
export async function pinMessage(
  tx: MessageTx,
  message: MessageKey,
  by: string,
): Promise<'pinned' | 'unchanged' | 'full'> {
  const pins = await tx.select({ seq: chatPins.seq }).from(chatPins).where(eq(chatPins.chatId, message.chatId));
  if (pins.some((pin) => pin.seq === message.seq)) return 'unchanged';
  if (pins.length >= MAX_PINNED_MESSAGES_PER_CHAT) return 'full';
  await tx.insert(chatPins).values({ chatId: message.chatId, seq: message.seq, pinnedBy: by, pinnedAt: new Date() });
  await enqueueEvent(tx, chatPinsChanged, pinEvent(message, true, by));
  return 'pinned';
}

/** Unpins a message (locked by the caller); false when it was not pinned. */
export async function unpinMessage(tx: MessageTx, message: MessageKey, by: string): Promise<boolean> {
  const [result] = await tx
    .delete(chatPins)
    .where(and(eq(chatPins.chatId, message.chatId), eq(chatPins.seq, message.seq)));
  if (result.affectedRows === 0) return false;
  await enqueueEvent(tx, chatPinsChanged, pinEvent(message, false, by));
  return true;
}

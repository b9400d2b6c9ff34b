import { and, eq, lt } from 'drizzle-orm';
import { chatRead, enqueueEvent } from '@letstalk/events';
import { chatMembers, type MessageDb } from './tables.ts';

/** Raises the member's read mark to `seq` (never lowers it); returns whether it moved. */
export async function markRead(db: MessageDb, chatId: string, userId: string, seq: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [result] = await tx
      .update(chatMembers)
      .set({ readSeq: seq })
      .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId), lt(chatMembers.readSeq, seq)));
    if (result.affectedRows === 0) return false;
    await enqueueEvent(tx, chatRead, { chatId, userId, readSeq: seq });
    return true;
  });
}

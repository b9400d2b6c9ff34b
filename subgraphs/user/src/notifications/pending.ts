import { and, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import { retryingRaces } from '@letstalk/db';
import type { EventPayload, notificationRequested } from '@letstalk/events';
import { NOTIFICATION_COALESCE_MS } from '../limits.ts';
import { notificationReadMarks, pendingNotifications, type UserDb, type UserTx } from '../data/tables.ts';

export type PendingRow = typeof pendingNotifications.$inferSelect;

/**
 * Counts a requested message into each recipient's pending notification of its chat: the first message of a burst
 * makes the row, due NOTIFICATION_COALESCE_MS later; the others widen its range of sequence numbers, and the latest
 * is the one shown (a request handled twice, or out of order, changes nothing more).
 */
export async function addToPending(db: UserDb, request: EventPayload<typeof notificationRequested>, now = new Date()) {
  if (request.recipientIds.length === 0) return;
  const attachment: PendingRow['attachment'] = request.hasImage ? 'IMAGE' : request.hasFile ? 'FILE' : null;
  await retryingRaces(() =>
    db.transaction(async (tx) => {
      // Someone who already read past this message (their chat.read came first) is not told of it. The marks are
      // read locked (a missing one too: InnoDB locks the gap), so a chat.read handled at the same time waits and
      // then deletes what this counts.
      const readPast = await tx
        .select({ userId: notificationReadMarks.userId, readSeq: notificationReadMarks.readSeq })
        .from(notificationReadMarks)
        .where(
          and(
            eq(notificationReadMarks.chatId, request.chatId),
            inArray(notificationReadMarks.userId, request.recipientIds),
          ),
        )
        .for('update');
      const read = new Set(readPast.filter((mark) => mark.readSeq >= request.seq).map((mark) => mark.userId));
      const recipientIds = request.recipientIds.filter((userId) => !read.has(userId));
      if (recipientIds.length === 0) return;
      // The first of a burst makes the row; a later one (a higher sequence number) counts into it and is shown.
      await tx
        .insert(pendingNotifications)
        .ignore()
        .values(
          recipientIds.map((userId) => ({
            userId,
            chatId: request.chatId,
            firstSeq: request.seq,
            lastSeq: request.seq,
            senderId: request.senderId,
            chatKind: request.chatKind,
            chatName: request.chatName,
            excerpt: request.excerpt,
            attachment,
            firstAt: now,
            dueAt: new Date(now.getTime() + NOTIFICATION_COALESCE_MS),
          })),
        );
      const ofThem = and(
        eq(pendingNotifications.chatId, request.chatId),
        inArray(pendingNotifications.userId, recipientIds),
      );
      await tx
        .update(pendingNotifications)
        .set({ firstSeq: request.seq })
        .where(and(ofThem, gt(pendingNotifications.firstSeq, request.seq)));
      await tx
        .update(pendingNotifications)
        .set({
          lastSeq: request.seq,
          senderId: request.senderId,
          chatName: request.chatName,
          excerpt: request.excerpt,
          attachment,
        })
        .where(and(ofThem, lt(pendingNotifications.lastSeq, request.seq)));
    }),
  );
}

/**
 * Forgets what a person read (`chat.read`): a notification of messages they saw is never sent, and a request for
 * one of them that comes later is not counted (the read mark is kept).
 */
export async function dropRead(db: UserDb, userId: string, chatId: string, readSeq: number): Promise<void> {
  await retryingRaces(() => dropReadOnce(db, userId, chatId, readSeq));
}

function dropReadOnce(db: UserDb, userId: string, chatId: string, readSeq: number) {
  return db.transaction(async (tx) => {
    await tx
      .insert(notificationReadMarks)
      .values({ userId, chatId, readSeq })
      .onDuplicateKeyUpdate({ set: { readSeq: sql`GREATEST(${notificationReadMarks.readSeq}, ${readSeq})` } });
    await tx
      .delete(pendingNotifications)
      .where(
        and(
          eq(pendingNotifications.userId, userId),
          eq(pendingNotifications.chatId, chatId),
          lte(pendingNotifications.lastSeq, readSeq),
        ),
      );
  });
}

/**
 * Takes up to `limit` due notifications, locked (another instance skips them: SKIP LOCKED), for `deliver` to send
 * in the same transaction; `deliver` answers whether each is done (deleted) or when to try again.
 */
export function takeDue(
  db: UserDb,
  limit: number,
  deliver: (tx: UserTx, row: PendingRow) => Promise<'done' | Date>,
  now = new Date(),
): Promise<number> {
  return db.transaction(async (tx) => {
    const [rows] = await tx.execute(
      sql`SELECT * FROM ${pendingNotifications} WHERE ${pendingNotifications.dueAt} <= ${now} ORDER BY ${pendingNotifications.dueAt} LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    );
    const due = (rows as unknown as Record<string, unknown>[]).map(fromRaw);
    for (const row of due) {
      const outcome = await deliver(tx, row);
      const key = and(eq(pendingNotifications.userId, row.userId), eq(pendingNotifications.chatId, row.chatId));
      if (outcome === 'done') await tx.delete(pendingNotifications).where(key);
      else await tx.update(pendingNotifications).set({ dueAt: outcome }).where(key);
    }
    return due.length;
  });
}

/** A row as the raw statement gives it (column names), as drizzle would. */
function fromRaw(raw: Record<string, unknown>): PendingRow {
  return {
    userId: raw.user_id as string,
    chatId: raw.chat_id as string,
    firstSeq: Number(raw.first_seq),
    lastSeq: Number(raw.last_seq),
    senderId: raw.sender_id as string,
    chatKind: raw.chat_kind as PendingRow['chatKind'],
    chatName: (raw.chat_name as string | null) ?? null,
    excerpt: (raw.excerpt as string | null) ?? null,
    attachment: (raw.attachment as PendingRow['attachment']) ?? null,
    firstAt: new Date(raw.first_at as string),
    dueAt: new Date(raw.due_at as string),
  };
}

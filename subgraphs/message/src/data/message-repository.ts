import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import { chatRead, enqueueEvent, messageCreated, messageDeleted, messageEdited } from '@letstalk/events';
import type { MessageDb } from '../context.ts';
import { messageIdOf } from '../ids.ts';
import { UNREAD_COUNT_CAP } from '../limits.ts';
import { lockChatForMember, touchChat, type Tx } from './chat-repository.ts';
import { chatMembers, messages } from './tables.ts';

export type MessageRow = typeof messages.$inferSelect;

export async function findMessageByClientId(db: MessageDb | Tx, chatId: string, senderId: string, clientMessageId: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(eq(messages.chatId, chatId), eq(messages.senderId, senderId), eq(messages.clientMessageId, clientMessageId)),
    );
  return row;
}

export type SendOutcome = { kind: 'sent' | 'duplicate'; message: MessageRow } | { kind: 'not-member' };

/**
 * Stores a message. The chat row is locked first, so the sequence number is taken and committed in
 * chat order; the (chat, sender, clientMessageId) unique key makes a retry return the first message.
 */
export async function sendMessage(
  db: MessageDb,
  input: { chatId: string; senderId: string; clientMessageId: string; text: string | null; imageId: string | null; firstLink: string | null },
): Promise<SendOutcome> {
  return db.transaction(async (tx) => {
    const locked = await lockChatForMember(tx, input.chatId, input.senderId);
    if (!locked) return { kind: 'not-member' as const };
    const existing = await findMessageByClientId(tx, input.chatId, input.senderId, input.clientMessageId);
    if (existing) return { kind: 'duplicate' as const, message: existing };
    const seq = locked.chat.lastSeq + 1;
    const createdAt = new Date();
    const row: MessageRow = {
      chatId: input.chatId,
      seq,
      senderId: input.senderId,
      clientMessageId: input.clientMessageId,
      text: input.text,
      imageId: input.imageId,
      createdAt,
      editedAt: null,
      deletedAt: null,
    };
    await tx.insert(messages).values(row);
    await touchChat(tx, input.chatId, createdAt, seq);
    // The sender has read their own message.
    await tx
      .update(chatMembers)
      .set({ readSeq: seq })
      .where(and(eq(chatMembers.chatId, input.chatId), eq(chatMembers.userId, input.senderId)));
    await enqueueEvent(tx, messageCreated, {
      chatId: input.chatId,
      messageId: messageIdOf(row),
      seq,
      senderId: input.senderId,
      imageId: input.imageId,
      firstLink: input.firstLink,
      createdAt: createdAt.toISOString(),
    });
    return { kind: 'sent' as const, message: row };
  });
}

/** Locks one message of a chat the user is a member of, for an edit or a deletion. */
export async function lockMessage(tx: Tx, chatId: string, seq: number, userId: string) {
  const locked = await lockChatForMember(tx, chatId, userId);
  if (!locked) return undefined;
  const [message] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.seq, seq)))
    .for('update');
  return message ? { ...locked, message } : undefined;
}

export async function editMessageText(tx: Tx, message: MessageRow, text: string, firstLink: string | null) {
  const editedAt = new Date();
  await tx
    .update(messages)
    .set({ text, editedAt })
    .where(and(eq(messages.chatId, message.chatId), eq(messages.seq, message.seq)));
  await enqueueEvent(tx, messageEdited, {
    chatId: message.chatId,
    messageId: messageIdOf(message),
    seq: message.seq,
    firstLink,
    editedAt: editedAt.toISOString(),
  });
  return { ...message, text, editedAt };
}

export async function deleteMessage(tx: Tx, message: MessageRow, deletedBy: string) {
  const deletedAt = new Date();
  await tx
    .update(messages)
    .set({ text: null, imageId: null, deletedAt })
    .where(and(eq(messages.chatId, message.chatId), eq(messages.seq, message.seq)));
  await enqueueEvent(tx, messageDeleted, {
    chatId: message.chatId,
    messageId: messageIdOf(message),
    seq: message.seq,
    deletedBy,
    deletedAt: deletedAt.toISOString(),
  });
  return { ...message, text: null, imageId: null, deletedAt };
}

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

export async function findMessages(db: MessageDb, keys: readonly { chatId: string; seq: number }[]) {
  if (keys.length === 0) return [];
  const pairs = sql.join(
    keys.map((key) => sql`(${key.chatId}, ${key.seq})`),
    sql`, `,
  );
  return db
    .select()
    .from(messages)
    .where(sql`(${messages.chatId}, ${messages.seq}) IN (${pairs})`);
}

/**
 * One page of a chat's history by the (chat, seq) primary key: `older` pages go from `fromSeq`
 * (exclusive) towards the start, newer ones towards the end. Returns up to `limit + 1` rows, newest first.
 */
export async function pageMessages(
  db: MessageDb,
  chatId: string,
  options: { direction: 'older' | 'newer'; fromSeq?: number | undefined; limit: number },
): Promise<MessageRow[]> {
  const older = options.direction === 'older';
  const bound =
    options.fromSeq === undefined ? undefined : older ? lt(messages.seq, options.fromSeq) : gt(messages.seq, options.fromSeq);
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.chatId, chatId), bound))
    .orderBy(older ? desc(messages.seq) : asc(messages.seq))
    .limit(options.limit + 1);
  return rows;
}

/**
 * Unread counts of several chats for one member: messages from others, not deleted, after their read mark,
 * each count stopping at {@link UNREAD_COUNT_CAP}. One statement for all the chats.
 */
export async function countUnread(
  db: MessageDb,
  userId: string,
  marks: readonly { chatId: string; readSeq: number }[],
): Promise<Map<string, number>> {
  if (marks.length === 0) return new Map();
  const parts = marks.map(
    (mark) =>
      sql`SELECT ${mark.chatId} AS chat_id, COUNT(*) AS unread FROM (SELECT 1 FROM ${messages} WHERE ${messages.chatId} = ${mark.chatId} AND ${messages.seq} > ${mark.readSeq} AND ${messages.senderId} <> ${userId} AND ${messages.deletedAt} IS NULL LIMIT ${UNREAD_COUNT_CAP}) AS capped`,
  );
  const [rows] = (await db.execute(sql.join(parts, sql` UNION ALL `))) as unknown as [{ chat_id: string; unread: number }[]];
  return new Map(rows.map((row) => [row.chat_id, Number(row.unread)]));
}

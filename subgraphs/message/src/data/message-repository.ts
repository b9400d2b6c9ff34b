import { and, asc, desc, eq, exists, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { enqueueEvent, messageCreated, messageDeleted, messageEdited } from '@letstalk/events';
import { isDuplicateKey } from '@letstalk/db';
import { messageIdOf } from '@letstalk/server';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, inSpan } from '@letstalk/tracing';
import type { MessageDb, MessageTx } from './tables.ts';
import { UNREAD_COUNT_CAP } from '../limits.ts';
import { blockedInDirectChat } from './block-repository.ts';
import { isStillShown, releaseUpload } from './known-images.ts';
import { lockChatForMember, recordSend } from './chat-repository.ts';
import { unpinMessage } from './pin-repository.ts';
import { chatMembers, imageMessages, messageReactions, messages } from './tables.ts';

export type MessageRow = typeof messages.$inferSelect;

export async function findMessageByClientId(
  db: MessageDb | MessageTx,
  chatId: string,
  senderId: string,
  clientMessageId: string,
) {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(eq(messages.chatId, chatId), eq(messages.senderId, senderId), eq(messages.clientMessageId, clientMessageId)),
    );
  return row;
}

export type SendOutcome =
  | { kind: 'sent'; message: MessageRow; /** The message id of its `message.created` event. */ eventId: string }
  | { kind: 'duplicate'; message: MessageRow }
  | { kind: 'not-member' }
  /** A direct chat of two people one of whom blocked the other. */
  | { kind: 'blocked' }
  /** A forwarded image or file no message shows any more (released: the original was deleted meanwhile). */
  | { kind: 'attachment-gone' }
  /** `replyToSeq` is no message of the chat, or a deleted one. */
  | { kind: 'reply-missing' }
  | { kind: 'reply-deleted' };

/**
 * Stores a message. The chat row is locked first, so the sequence number is taken and committed in
 * chat order; the (chat, sender, clientMessageId) unique key makes a retry return the first message.
 * Tracing on, the transaction is a span (`sendMessage transaction`), the parent of the event's publish.
 */
export async function sendMessage(
  db: MessageDb,
  input: {
    chatId: string;
    senderId: string;
    clientMessageId: string;
    text: string | null;
    imageId: string | null;
    /** A message has an image or a file, never both (the resolver checks). */
    fileId: string | null;
    firstLink: string | null;
    /** The message of the same chat this one answers. */
    replyToSeq: number | null;
    /** A copy of a message of another chat. */
    forwarded: boolean;
  },
): Promise<SendOutcome> {
  const attributes = {
    [ATTR_DB_SYSTEM_NAME]: 'mariadb',
    [ATTR_DB_OPERATION_NAME]: 'TRANSACTION',
    'letstalk.chat.id': input.chatId,
  };
  return inSpan('sendMessage transaction', { attributes }, async (span) => {
    const outcome = await storeMessage(db, input);
    span.setAttribute('letstalk.send.outcome', outcome.kind);
    return outcome;
  });
}

/**
 * Six round trips: begin, lock, insert, one update (recordSend), the event, commit (a reply reads its original
 * too, a direct chat its blocks). A retry of a stored message is found by its unique key (the caller answers most retries before this,
 * see sendMessage's resolver).
 */
function storeMessage(db: MessageDb, input: Parameters<typeof sendMessage>[1]): Promise<SendOutcome> {
  return db.transaction(async (tx) => {
    const locked = await lockChatForMember(tx, input.chatId, input.senderId);
    if (!locked) return { kind: 'not-member' as const };
    if (await blockedInDirectChat(tx, locked.chat)) return { kind: 'blocked' as const };
    if (input.replyToSeq !== null) {
      const [original] = await tx
        .select({ deletedAt: messages.deletedAt })
        .from(messages)
        .where(and(eq(messages.chatId, input.chatId), eq(messages.seq, input.replyToSeq)));
      if (!original) return { kind: 'reply-missing' as const };
      if (original.deletedAt) return { kind: 'reply-deleted' as const };
    }
    const attachmentId = input.imageId ?? input.fileId;
    if (input.forwarded && attachmentId && !(await isStillShown(tx, attachmentId)))
      return { kind: 'attachment-gone' as const };
    const seq = locked.chat.lastSeq + 1;
    const createdAt = new Date();
    const row: MessageRow = {
      chatId: input.chatId,
      seq,
      senderId: input.senderId,
      clientMessageId: input.clientMessageId,
      text: input.text,
      imageId: input.imageId,
      fileId: input.fileId,
      replyToSeq: input.replyToSeq,
      forwarded: input.forwarded,
      createdAt,
      editedAt: null,
      deletedAt: null,
    };
    try {
      await tx.insert(messages).values(row);
    } catch (error) {
      // The statement failed alone (InnoDB keeps the transaction): a retry that came in while the first was
      // being stored (it waited for the chat's lock) meets the (chat, sender, clientMessageId) key.
      if (!isDuplicateKey(error)) throw error;
      const existing = await findMessageByClientId(tx, input.chatId, input.senderId, input.clientMessageId);
      if (existing) return { kind: 'duplicate' as const, message: existing };
      throw error;
    }
    if (attachmentId) await tx.insert(imageMessages).values({ imageId: attachmentId, chatId: input.chatId, seq });
    await recordSend(tx, input.chatId, input.senderId, createdAt, seq);
    const eventId = await enqueueEvent(tx, messageCreated, {
      chatId: input.chatId,
      messageId: messageIdOf(row),
      seq,
      senderId: input.senderId,
      imageId: input.imageId,
      fileId: input.fileId,
      firstLink: input.firstLink,
      createdAt: createdAt.toISOString(),
    });
    return { kind: 'sent' as const, message: row, eventId };
  });
}

/** Locks one message of a chat the user is a member of, for an edit or a deletion. */
export async function lockMessage(tx: MessageTx, chatId: string, seq: number, userId: string) {
  const locked = await lockChatForMember(tx, chatId, userId);
  if (!locked) return undefined;
  const [message] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.seq, seq)))
    .for('update');
  return message ? { ...locked, message } : undefined;
}

export async function editMessageText(tx: MessageTx, message: MessageRow, text: string, firstLink: string | null) {
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

export async function deleteMessage(tx: MessageTx, message: MessageRow, deletedBy: string) {
  const deletedAt = new Date();
  await tx
    .update(messages)
    .set({ text: null, imageId: null, fileId: null, deletedAt })
    .where(and(eq(messages.chatId, message.chatId), eq(messages.seq, message.seq)));
  // A tombstone keeps no reactions (nor can it get new ones), and is no longer pinned.
  await tx
    .delete(messageReactions)
    .where(and(eq(messageReactions.chatId, message.chatId), eq(messageReactions.seq, message.seq)));
  await unpinMessage(tx, message, deletedBy);
  const releasedImageId = message.imageId ? await releaseUpload(tx, message.imageId, message) : null;
  const releasedFileId = message.fileId ? await releaseUpload(tx, message.fileId, message) : null;
  await enqueueEvent(tx, messageDeleted, {
    chatId: message.chatId,
    messageId: messageIdOf(message),
    seq: message.seq,
    deletedBy,
    deletedAt: deletedAt.toISOString(),
    releasedImageId,
    releasedFileId,
  });
  return { ...message, text: null, imageId: null, fileId: null, deletedAt };
}

/**
 * Messages by key; with `memberId`, only those of chats that user is a member of (checked in the same
 * statement, as for history pages).
 */
export async function findMessages(db: MessageDb, keys: readonly { chatId: string; seq: number }[], memberId?: string) {
  if (keys.length === 0) return [];
  const member =
    memberId === undefined
      ? undefined
      : exists(
          db
            .select({ one: sql`1` })
            .from(chatMembers)
            .where(and(eq(chatMembers.chatId, messages.chatId), eq(chatMembers.userId, memberId))),
        );
  // One primary-key point per message, OR-ed: MariaDB plans a row constructor IN list far worse.
  return db
    .select()
    .from(messages)
    .where(and(or(...keys.map((key) => and(eq(messages.chatId, key.chatId), eq(messages.seq, key.seq)))), member));
}

/**
 * One page of a chat's history by the (chat, seq) primary key: `older` pages go from `fromSeq`
 * (exclusive) towards the start, newer ones towards the end. Returns up to `limit + 1` rows, newest first.
 */
/**
 * One page of a chat's history by sequence number. With `memberId`, the page holds rows only while that
 * user is a member of the chat (checked in the same statement), so an empty page means "no such
 * messages or no access"; the caller tells the two apart.
 */
export async function pageMessages(
  db: MessageDb,
  chatId: string,
  options: { direction: 'older' | 'newer'; fromSeq?: number | undefined; limit: number; memberId?: string | undefined },
): Promise<MessageRow[]> {
  const older = options.direction === 'older';
  const bound =
    options.fromSeq === undefined
      ? undefined
      : older
        ? lt(messages.seq, options.fromSeq)
        : gt(messages.seq, options.fromSeq);
  const member =
    options.memberId === undefined
      ? undefined
      : exists(
          db
            .select({ one: sql`1` })
            .from(chatMembers)
            .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, options.memberId))),
        );
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.chatId, chatId), bound, member))
    .orderBy(older ? desc(messages.seq) : asc(messages.seq))
    .limit(options.limit + 1);
  return rows;
}

/**
 * Unread counts of several chats for one member in one statement: messages from others, not deleted,
 * after their read mark. Each chat is one primary-key range of at most {@link UNREAD_COUNT_CAP} positions
 * past the mark (the marks are literals, so the range optimizer can use them), so a long-unread chat
 * costs no more than a busy one: the count stops there.
 */
export async function countUnread(
  db: MessageDb,
  userId: string,
  marks: readonly { chatId: string; readSeq: number }[],
): Promise<Map<string, number>> {
  if (marks.length === 0) return new Map();
  const ranges = marks.map((mark) =>
    and(
      eq(messages.chatId, mark.chatId),
      gt(messages.seq, mark.readSeq),
      lte(messages.seq, mark.readSeq + UNREAD_COUNT_CAP),
    ),
  );
  const rows = await db
    .select({ chatId: messages.chatId, unread: sql<number>`COUNT(*)` })
    .from(messages)
    .where(and(or(...ranges), ne(messages.senderId, userId), isNull(messages.deletedAt)))
    .groupBy(messages.chatId);
  return new Map(rows.map((row) => [row.chatId, Number(row.unread)]));
}

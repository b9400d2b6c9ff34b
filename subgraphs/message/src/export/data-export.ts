import type { NatsConnection } from '@nats-io/transport-node';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { answerDataExports, type DataExportLine } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { messageIdOf } from '@letstalk/server';
import { MUTED_FOREVER } from '../data/chat-repository.ts';
import { chatMembers, chats, messages, userBlocks, userChats, type MessageDb } from '../data/tables.ts';

/** Messages read per query while a person's are exported. */
const EXPORT_PAGE = 500;

/**
 * The message subgraph's part of a person's archive: chats.jsonl (the chats they are a member of, with their role,
 * mute and, for a direct chat, the other person's id), messages.jsonl (what they sent there, oldest first per chat;
 * deleted messages are gone) and blocked-users.jsonl. Only the person's own messages are read: their numbers from
 * the index that leads with the chat and the sender (messages_idempotency), then their rows by key, never a scan of
 * everyone's messages.
 */
export async function* messageLines(db: MessageDb, userId: string): AsyncGenerator<DataExportLine> {
  const memberships = await db
    .select({
      id: chats.id,
      kind: chats.kind,
      name: chats.name,
      directKey: chats.directKey,
      role: chatMembers.role,
      joinedAt: chatMembers.joinedAt,
      mutedUntil: chatMembers.mutedUntil,
    })
    .from(userChats)
    .innerJoin(chats, eq(chats.id, userChats.chatId))
    .innerJoin(chatMembers, and(eq(chatMembers.chatId, userChats.chatId), eq(chatMembers.userId, userId)))
    .where(eq(userChats.userId, userId))
    .orderBy(asc(chatMembers.joinedAt));
  for (const { directKey, mutedUntil, ...chat } of memberships) {
    const withUserId = directKey?.split(':').find((id) => id !== userId) ?? null;
    const muted =
      mutedUntil === null ? null : mutedUntil.getTime() === MUTED_FOREVER.getTime() ? 'FOREVER' : mutedUntil;
    yield { file: 'chats.jsonl', line: JSON.stringify({ ...chat, withUserId, mutedUntil: muted }) };
  }
  for (const { id: chatId } of memberships) {
    // The person's message numbers first, from the index that leads with the chat and the sender (it holds the
    // key, so no row is read): a few bytes each. Then their rows, a page at a time, by key.
    const own = await db
      .select({ seq: messages.seq })
      .from(messages)
      .where(and(eq(messages.chatId, chatId), eq(messages.senderId, userId)));
    const seqs = own.map((row) => row.seq).sort((a, b) => a - b);
    for (let start = 0; start < seqs.length; start += EXPORT_PAGE) {
      const page = await db
        .select({
          chatId: messages.chatId,
          seq: messages.seq,
          createdAt: messages.createdAt,
          editedAt: messages.editedAt,
          text: messages.text,
          imageId: messages.imageId,
          fileId: messages.fileId,
          replyToSeq: messages.replyToSeq,
          forwarded: messages.forwarded,
        })
        .from(messages)
        .where(
          and(
            eq(messages.chatId, chatId),
            inArray(messages.seq, seqs.slice(start, start + EXPORT_PAGE)),
            isNull(messages.deletedAt),
          ),
        )
        .orderBy(asc(messages.seq));
      for (const { replyToSeq, ...message } of page) {
        const replyToId = replyToSeq === null ? null : messageIdOf({ chatId, seq: replyToSeq });
        yield { file: 'messages.jsonl', line: JSON.stringify({ id: messageIdOf(message), ...message, replyToId }) };
      }
    }
  }
  const blocked = await db
    .select({ userId: userBlocks.blockedId, createdAt: userBlocks.createdAt })
    .from(userBlocks)
    .where(eq(userBlocks.blockerId, userId))
    .orderBy(asc(userBlocks.createdAt));
  for (const block of blocked) yield { file: 'blocked-users.jsonl', line: JSON.stringify(block) };
}

/** Answers data-export requests with the message subgraph's parts. */
export function startDataExportSource(options: { nc: NatsConnection; db: MessageDb; database: string; log: Logger }) {
  return answerDataExports({
    ...options,
    source: 'message',
    answer: async (userId) => messageLines(options.db, userId),
  });
}

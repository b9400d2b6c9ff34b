import type { NatsConnection } from '@nats-io/transport-node';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import {
  DATA_EXPORT_TIMEOUT_MS,
  dataExportRequested,
  durableName,
  publishDataExport,
  startEventConsumer,
  type DataExportLine,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { messageIdOf } from '@letstalk/server';
import { MUTED_FOREVER } from '../data/chat-repository.ts';
import { chatMembers, chats, messages, userBlocks, userChats, type MessageDb } from '../data/tables.ts';

/** Messages read per query while a person's are exported. */
const EXPORT_PAGE = 500;

/**
 * The message subgraph's part of a person's archive: chats.jsonl (the chats they are a member of, with their role,
 * mute and, for a direct chat, the other person's id), messages.jsonl (what they sent there, oldest first per chat;
 * deleted messages are gone) and blocked-users.jsonl. A chat's messages are read a page at a time, by the key that
 * leads with the chat and the sender (messages_idempotency), never a scan of other people's messages.
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
    for (let after = 0; ;) {
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
            eq(messages.senderId, userId),
            gt(messages.seq, after),
            isNull(messages.deletedAt),
          ),
        )
        .orderBy(asc(messages.seq))
        .limit(EXPORT_PAGE);
      for (const { replyToSeq, ...message } of page) {
        const replyToId = replyToSeq === null ? null : messageIdOf({ chatId, seq: replyToSeq });
        yield { file: 'messages.jsonl', line: JSON.stringify({ id: messageIdOf(message), ...message, replyToId }) };
      }
      if (page.length < EXPORT_PAGE) break;
      after = page.at(-1)!.seq;
    }
  }
  const blocked = await db
    .select({ userId: userBlocks.blockedId, createdAt: userBlocks.createdAt })
    .from(userBlocks)
    .where(eq(userBlocks.blockerId, userId))
    .orderBy(asc(userBlocks.createdAt));
  for (const block of blocked) yield { file: 'blocked-users.jsonl', line: JSON.stringify(block) };
}

/**
 * Answers `media.export.requested` with the message subgraph's parts (see publishDataExport). A request older than
 * DATA_EXPORT_TIMEOUT_MS is left: its archive has failed already.
 */
export function startDataExportSource(options: { nc: NatsConnection; db: MessageDb; database: string; log: Logger }) {
  const { nc, db } = options;
  return startEventConsumer({
    nc,
    contract: dataExportRequested,
    durable: durableName(options.database, 'data-exports'),
    log: options.log,
    handle: async (request) => {
      if (Date.parse(request.requestedAt) < Date.now() - DATA_EXPORT_TIMEOUT_MS) return;
      await publishDataExport(nc, { exportId: request.exportId, source: 'message' }, messageLines(db, request.userId));
    },
  });
}

import { DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { and, eq, isNull, ne, notExists, or, sql } from 'drizzle-orm';
import { isDuplicateKey } from '@letstalk/db';
import {
  durableName,
  enqueueEvent,
  messageCreated,
  notificationRequested,
  startEventConsumer,
  writeWithEvents,
  type EventPayload,
  type OutboxRelay,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { chatMembers, chats, messages, userBlocks, userPresence, type MessageDb } from '../data/tables.ts';
import { quoteExcerpt } from '../text/format-text.ts';

/**
 * The members to tell of a message while they are away: not the sender, not those who muted the chat (a mute
 * that has not ended), not those who blocked the sender, and only those with no live connection (their stored
 * presence is OFFLINE, or they were never seen). One statement over the chat's members.
 */
async function recipientsOf(db: MessageDb, chatId: string, senderId: string, now = new Date()) {
  const rows = await db
    .select({ userId: chatMembers.userId })
    .from(chatMembers)
    .leftJoin(userPresence, eq(userPresence.userId, chatMembers.userId))
    .where(
      and(
        eq(chatMembers.chatId, chatId),
        ne(chatMembers.userId, senderId),
        or(isNull(chatMembers.mutedUntil), sql`${chatMembers.mutedUntil} <= ${now}`),
        or(isNull(userPresence.status), eq(userPresence.status, 'OFFLINE')),
        notExists(
          db
            .select({ one: sql`1` })
            .from(userBlocks)
            .where(and(eq(userBlocks.blockerId, chatMembers.userId), eq(userBlocks.blockedId, senderId))),
        ),
      ),
    );
  return rows.map((row) => row.userId);
}

/** What `message.notification-requested` says of a message, or undefined when nobody is to be told. */
async function requestFor(
  db: MessageDb,
  event: EventPayload<typeof messageCreated>,
): Promise<EventPayload<typeof notificationRequested> | undefined> {
  const [message] = await db
    .select({
      text: messages.text,
      imageId: messages.imageId,
      fileId: messages.fileId,
      kind: chats.kind,
      name: chats.name,
    })
    .from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId))
    .where(and(eq(messages.chatId, event.chatId), eq(messages.seq, event.seq), isNull(messages.deletedAt)));
  // Deleted before anyone was told: nothing to tell.
  if (!message) return undefined;
  const recipientIds = await recipientsOf(db, event.chatId, event.senderId);
  if (recipientIds.length === 0) return undefined;
  return {
    chatId: event.chatId,
    messageId: event.messageId,
    seq: event.seq,
    senderId: event.senderId,
    chatKind: message.kind,
    chatName: message.kind === 'GROUP' ? message.name : null,
    excerpt: message.text === null ? null : quoteExcerpt(message.text),
    hasImage: message.imageId !== null,
    hasFile: message.fileId !== null,
    recipientIds,
    createdAt: event.createdAt,
  };
}

/**
 * Names, for each new message, the members the notification worker should tell while they are away
 * (`message.notification-requested`, through the outbox). Its message id is the message's (`notify:<id>`), so a
 * message handled twice is requested once. One consumer per message database; instances share the work.
 */
export function startNotificationRequests(options: {
  nc: NatsConnection;
  db: MessageDb;
  relay: OutboxRelay;
  database: string;
  log: Logger;
}) {
  const { db, relay } = options;
  return startEventConsumer({
    nc: options.nc,
    contract: messageCreated,
    durable: durableName(options.database, 'notification-requests'),
    // Made for the first time, it starts with the messages sent from then on: never days-old news.
    deliverPolicy: DeliverPolicy.New,
    log: options.log,
    handle: async (event) => {
      const request = await requestFor(db, event);
      if (!request) return;
      await writeWithEvents(
        relay,
        () =>
          db
            .transaction((tx) => enqueueEvent(tx, notificationRequested, request, `notify:${event.messageId}`))
            .then(
              (msgId) => [msgId],
              (error: unknown) => {
                if (isDuplicateKey(error)) return [];
                throw error;
              },
            ),
        (ids) => ids,
      );
    },
  });
}

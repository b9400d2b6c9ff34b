import { DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  chatCreated,
  chatMembersChanged,
  chatPhotoChanged,
  chatPinsChanged,
  chatRead,
  chatRenamed,
  durableName,
  eventIdOf,
  mediaImageProcessed,
  messageCreated,
  messageDeleted,
  messageEdited,
  messageReacted,
  previewUpdated,
  publishLive,
  startEventConsumer,
  stopConsumers,
  type EventContract,
  type EventPayload,
  type LiveEvent,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { messageIdOf, parseMessageId, seqCursorOf } from '@letstalk/server';
import type { MessageDb } from '../data/tables.ts';
import { findMemberIds } from '../data/chat-repository.ts';
import { messagesShowing } from '../data/known-images.ts';
import { REACTION_UPDATE_WINDOW_MS } from '../limits.ts';
import { publishingInOrder } from './in-order.ts';

const NANOS_PER_MS = 1_000_000;

/** Events each fan-out consumer holds ready while it works through them. */
const FAN_OUT_PREFETCH = 100;
/**
 * New messages whose members are looked up at once by one fan-out instance (their live events still go out one
 * at a time, in order). One at a time, a lookup's wait on a busy machine capped the fan-out near 20 messages/s,
 * below the fault suite's 40: live delivery fell seconds behind before any fault, and a minute behind after one.
 */
const MESSAGE_LOOKUPS_AT_ONCE = 8;

/**
 * Handles events of one message that arrive within REACTION_UPDATE_WINDOW_MS of the first as one: the first
 * opens the window, the others join it, and all of them settle (are acknowledged, or redelivered on failure)
 * when its single `handle` has run.
 */
function coalescePerMessage<Event extends { messageId: string }>(
  handle: (event: Event, id: string, at: number) => Promise<void>,
): (event: Event, id: string, at: number) => Promise<void> {
  const open = new Map<string, Promise<void>>();
  return (event, id, at) => {
    let window = open.get(event.messageId);
    if (!window) {
      window = new Promise((wake) => setTimeout(wake, REACTION_UPDATE_WINDOW_MS)).then(() => {
        open.delete(event.messageId);
        return handle(event, id, at);
      });
      open.set(event.messageId, window);
    }
    return window;
  };
}

/**
 * Turns the durable events of this subgraph into live events on each member's subject. Membership is read
 * when the event is handled, so someone removed from a chat hears nothing of it afterwards. On one instance, a
 * subject's live events go out in the order of its events: one at a time, or, for new messages, looked up
 * several at once and published in order; with several instances the gateway puts a chat's messages back in
 * order (it fills gaps in a chat's sequence from the database). New consumers start at
 * new events: a fresh deployment does not replay a week of history as "live".
 */
export async function startLiveFanOut(options: { nc: NatsConnection; db: MessageDb; database: string; log: Logger }) {
  const { nc, db, log } = options;
  const toMembers = async (chatId: string, event: LiveEvent, at: number) =>
    publishLive(nc, await findMemberIds(db, chatId), event, at);
  const newMessagesInOrder = publishingInOrder();

  const fanOut = <Contract extends EventContract>(
    contract: Contract,
    handle: (event: EventPayload<Contract>, id: string, at: number) => Promise<void> | void,
    renamed?: { purpose: string },
    concurrency = 1,
  ) =>
    startEventConsumer({
      nc,
      contract,
      durable: durableName(options.database, renamed?.purpose ?? `live-${contract.subject.replace(/\W/g, '-')}`),
      formerly: renamed
        ? durableName(options.database, `live-${contract.subject.replace(/\W/g, '-')}`)
        : `message-live-${contract.subject.replace(/\W/g, '-')}`,
      log,
      concurrency,
      prefetch: FAN_OUT_PREFETCH,
      deliverPolicy: DeliverPolicy.New,
      // A live event's id is the durable event it comes from, so gateways can share one payload per event;
      // it was created when JetStream stored that event (the gateway measures delivery lag from it).
      handle: async (event, message) =>
        handle(event, eventIdOf(message), Math.floor(message.info.timestampNanos / NANOS_PER_MS)),
    });

  /** A message event as the live update of that message, to the chat's members. */
  const toMembersAsUpdate = (event: { chatId: string; messageId: string; seq: number }, id: string, at: number) => {
    const { chatId, messageId, seq } = event;
    return toMembers(chatId, { kind: 'messageUpdated', id, chatId, messageId, seq }, at);
  };

  /** A new message to the chat's members: looked up alongside the next ones, published in the order they came. */
  const toMembersAsAdded = (event: { chatId: string; messageId: string; seq: number }, id: string, at: number) => {
    const { chatId, messageId, seq } = event;
    const cursors = { cursor: seqCursorOf(seq), previousCursor: seqCursorOf(seq - 1) };
    return newMessagesInOrder(findMemberIds(db, chatId), (memberIds) =>
      publishLive(nc, memberIds, { kind: 'messageAdded', id, chatId, messageId, seq, ...cursors }, at),
    );
  };

  const consumers = await Promise.all([
    // Its subject gained tokens (link, image); the consumer of the bare subject is drained, then replaced.
    fanOut(messageCreated, toMembersAsAdded, { purpose: 'live-message-created-any' }, MESSAGE_LOOKUPS_AT_ONCE),
    fanOut(messageEdited, toMembersAsUpdate),
    fanOut(messageDeleted, toMembersAsUpdate),
    // Reactions: one update per message and window, however many people clicked in it (in any order).
    fanOut(messageReacted, coalescePerMessage(toMembersAsUpdate), undefined, FAN_OUT_PREFETCH),
    // An image became READY (or FAILED): every message showing it changed.
    fanOut(mediaImageProcessed, async (event, id, at) => {
      for (const { chatId, seq } of await messagesShowing(db, event.imageId)) {
        await toMembers(
          chatId,
          {
            kind: 'messageUpdated',
            id: `${id}:${chatId}:${seq}`,
            chatId,
            messageId: messageIdOf({ chatId, seq }),
            seq,
          },
          at,
        );
      }
    }),
    // A link preview settled after members saw it PENDING.
    fanOut(previewUpdated, (event, id, at) => {
      const { chatId, seq } = parseMessageId(event.messageId);
      const live = { kind: 'messageUpdated', id, chatId, messageId: messageIdOf({ chatId, seq }), seq } as const;
      return toMembers(chatId, live, at);
    }),
    fanOut(chatRead, (event, id, at) =>
      toMembers(
        event.chatId,
        {
          kind: 'chatRead',
          id,
          chatId: event.chatId,
          userId: event.userId,
          readSeq: event.readSeq,
          lastReadMessageId: event.readSeq > 0 ? messageIdOf({ chatId: event.chatId, seq: event.readSeq }) : null,
        },
        at,
      ),
    ),
    fanOut(chatCreated, (event, id, at) =>
      publishLive(nc, event.memberIds, { kind: 'chatUpdated', id, chatId: event.chatId, change: 'CREATED' }, at),
    ),
    fanOut(chatRenamed, (event, id, at) =>
      toMembers(event.chatId, { kind: 'chatUpdated', id, chatId: event.chatId, change: 'RENAMED' }, at),
    ),
    // A pin changes the chat's list and the message's `pinned`.
    fanOut(chatPinsChanged, async (event, id, at) => {
      const { chatId, messageId, seq } = event;
      const memberIds = await findMemberIds(db, chatId);
      publishLive(nc, memberIds, { kind: 'chatUpdated', id, chatId, change: 'PINS_CHANGED' }, at);
      publishLive(nc, memberIds, { kind: 'messageUpdated', id: `${id}:message`, chatId, messageId, seq }, at);
    }),
    fanOut(chatPhotoChanged, (event, id, at) =>
      toMembers(event.chatId, { kind: 'chatUpdated', id, chatId: event.chatId, change: 'PHOTO_CHANGED' }, at),
    ),
    fanOut(chatMembersChanged, (event, id, at) => {
      const { chatId, memberIds, removed } = event;
      publishLive(nc, memberIds, { kind: 'chatUpdated', id, chatId, change: 'MEMBERS_CHANGED' }, at);
      publishLive(nc, removed, { kind: 'chatUpdated', id, chatId, change: 'REMOVED' }, at);
    }),
  ]);
  return { stop: () => stopConsumers(consumers) };
}

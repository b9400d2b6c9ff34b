import { headers, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  injectInto,
  inSpan,
  isTracing,
  SpanKind,
} from '@letstalk/tracing';

/**
 * Live events: what a viewer's open subscriptions need to hear about, published by the message subgraph
 * (it owns membership) on NATS core, one subject per member. At-most-once by nature: every subscription
 * that carries messages can be resumed from the database, and the gateway fills a gap in a chat's
 * sequence from there too. The payload holds ids (and a message's history cursor) only, made by the message
 * subgraph, which alone knows their format; the gateway resolves fields through its planner.
 */
const LIVE_SUBJECT_PREFIX = 'live.user';
export const LIVE_EVENT_VERSION = 1;

export const liveSubject = (userId: string) => `${LIVE_SUBJECT_PREFIX}.${userId}`;
/** The live subjects as span names and attributes show them (one per user: too many to name each). */
export const LIVE_SUBJECT_TEMPLATE = `${LIVE_SUBJECT_PREFIX}.{userId}`;

const chatUpdateKind = z.enum([
  'CREATED',
  'RENAMED',
  'PHOTO_CHANGED',
  'MEMBERS_CHANGED',
  'REMOVED',
  'PINS_CHANGED',
  'MUTED',
]);
const callEventKind = z.enum(['OFFERED', 'ANSWERED', 'DECLINED', 'ENDED', 'MISSED', 'ICE_CANDIDATE']);

/**
 * What every live event has: its `id`, and `at`, when it was created in ms since the epoch (for one made from
 * a stored event, when JetStream stored that; else when it was published). `at` is optional: publishers
 * before it sent none. The gateway measures delivery lag from it.
 */
const origin = { id: z.string(), at: z.number().optional() };

const liveEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('messageAdded'),
    ...origin,
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    /** The message's cursor in its chat's history (opaque outside the message subgraph): where a gap is filled from. */
    cursor: z.string(),
    /** The cursor of the message before it in its chat (`after` of a resume that has seen everything before it). */
    previousCursor: z.string(),
  }),
  z.object({
    kind: z.literal('messageUpdated'),
    ...origin,
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal('chatRead'),
    ...origin,
    chatId: z.string(),
    userId: z.string(),
    readSeq: z.number().int().nonnegative(),
    /** The id of the message at the read mark; null before the first. */
    lastReadMessageId: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('typing'),
    ...origin,
    chatId: z.string(),
    userId: z.string(),
    expiresAt: z.iso.datetime(),
  }),
  z.object({ kind: z.literal('chatUpdated'), ...origin, chatId: z.string(), change: chatUpdateKind }),
  z.object({
    kind: z.literal('call'),
    ...origin,
    chatId: z.string(),
    callId: z.string(),
    event: callEventKind,
    candidate: z.string().nullable(),
  }),
  /** The presence of `userId` may look different to the receiver now (status, hidden, a block). */
  z.object({ kind: z.literal('presence'), ...origin, userId: z.string() }),
]);

export type LiveEvent = z.infer<typeof liveEvent>;
export type CallEventKind = z.infer<typeof callEventKind>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Publishes one event to each user's live subject (NATS core: buffered, not awaited per user), stamped with
 * when it was created (`at`: `createdAt`, by default now). Tracing on, that is one producer span for all of
 * them, whose `traceparent` goes in every message's headers (the gateways continue the trace from there to
 * each delivered frame).
 */
export function publishLive(
  nc: NatsConnection,
  userIds: Iterable<string>,
  event: LiveEvent,
  createdAt: number = Date.now(),
): void {
  const bytes = encoder.encode(JSON.stringify({ v: LIVE_EVENT_VERSION, data: { ...event, at: createdAt } }));
  const users = new Set(userIds);
  if (!isTracing()) {
    for (const userId of users) nc.publish(liveSubject(userId), bytes);
    return;
  }
  const attributes = {
    [ATTR_MESSAGING_SYSTEM]: 'nats',
    [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
    [ATTR_MESSAGING_OPERATION_NAME]: 'publish',
    [ATTR_MESSAGING_DESTINATION_TEMPLATE]: LIVE_SUBJECT_TEMPLATE,
    [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: users.size,
    [ATTR_MESSAGING_MESSAGE_ID]: event.id,
    'letstalk.live.kind': event.kind,
  };
  inSpan(`send ${LIVE_SUBJECT_TEMPLATE}`, { kind: SpanKind.PRODUCER, attributes }, () => {
    const traced = { headers: injectInto(headers()) };
    for (const userId of users) nc.publish(liveSubject(userId), bytes, traced);
  });
}

/** The data of a `{ v, data }` envelope of this version that `schema` accepts; undefined otherwise. */
function decodeEnvelope<T>(bytes: Uint8Array, schema: z.ZodType<T>): T | undefined {
  try {
    const envelope = JSON.parse(decoder.decode(bytes)) as { v?: unknown; data?: unknown };
    if (envelope.v !== LIVE_EVENT_VERSION) return undefined;
    const parsed = schema.safeParse(envelope.data);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a live event; undefined for an unknown version or shape (a newer publisher), which is skipped. */
export function decodeLiveEvent(bytes: Uint8Array): LiveEvent | undefined {
  return decodeEnvelope(bytes, liveEvent);
}

/**
 * Every gateway listens here for sessions that ended (signed out, or revoked for a reused refresh token):
 * it closes their live connections and refuses their access tokens until those expire. NATS core, like
 * live events: a gateway that misses one still drops the session when its access token expires.
 */
export const SESSION_ENDED_SUBJECT = 'live.session-ended';

const sessionEnded = z.object({ sessionId: z.string().min(1).max(64), userId: z.string().min(1).max(64) });
export type SessionEnded = z.infer<typeof sessionEnded>;

/** Tells every gateway that a session ended. */
export function publishSessionEnded(nc: NatsConnection, session: SessionEnded): void {
  nc.publish(SESSION_ENDED_SUBJECT, encoder.encode(JSON.stringify({ v: LIVE_EVENT_VERSION, data: session })));
}

/** Parses a session's end; undefined for anything else. */
export function decodeSessionEnded(bytes: Uint8Array): SessionEnded | undefined {
  return decodeEnvelope(bytes, sessionEnded);
}

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { natsConnected, natsDisconnects, natsReconnects } from '@letstalk/metrics';
import type { Logger } from '@letstalk/log';
import { moveProfileChangesOutOfUsersStream } from './users-stream-upgrade.ts';

/** Stream of the durable LetsTalk events; each subgraph publishes under its own prefix. Kept 7 days. */
export const EVENTS_STREAM = 'LETSTALK_EVENTS';
/**
 * What the events stream stores. Profile changes (`user.updated`) are among them, not with the accounts:
 * each `updateProfile` adds one, so they need the same age limit as messages (a loop of them filled a
 * stream with no limits). A new `user.*` subject goes into this list or {@link USERS_STREAM_SUBJECTS}.
 */
const EVENT_SUBJECTS = ['message.>', 'chat.>', 'media.>', 'preview.>', 'user.updated'];
/**
 * Presence changes (`presence.changed`), kept an hour: a change is worth nothing later, and the message subgraph's
 * sweeper settles whatever a long outage left behind from the presence bucket itself.
 */
const PRESENCE_STREAM = 'LETSTALK_PRESENCE';
const PRESENCE_STREAM_SUBJECTS = ['presence.>'];
const PRESENCE_MAX_AGE_MS = 60 * 60 * 1000;
/**
 * Accounts, kept without an age limit: a subgraph deployed later replays them from the start to learn
 * every account. One small event per account, and accounts are only made by a sign-in, which is limited.
 */
export const USERS_STREAM = 'LETSTALK_USERS';
const USERS_STREAM_SUBJECTS = ['user.created'];
/** Where workers put messages they gave up on, for an operator to read. */
export const DEAD_LETTER_STREAM = 'LETSTALK_DEAD_LETTERS';
export const DEAD_LETTER_SUBJECT_PREFIX = 'dead';
/** Window in which a re-published message id is dropped as a duplicate (covers relay restarts). */
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;
export const EVENTS_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

const NANOS_PER_MS = 1_000_000;

/**
 * How long making or changing a stream or a durable consumer may take: a cluster places each of its copies
 * (seconds when busy: every instance of every process makes its consumers at start), and instances starting at
 * once change the same stream.
 */
export const STREAM_CHANGE_TIMEOUT_MS = 30_000;

/** How many copies of each stream the NATS cluster a connection talks to keeps, when its process was told. */
const streamReplicas = new WeakMap<NatsConnection, number>();

/**
 * Connects to NATS, reconnecting forever: a service keeps running while NATS restarts. The connection's
 * state and its reconnections are metrics labelled with `name` (`letstalk_nats_*`). `url` may list several
 * servers of a cluster, comma-separated. `streamReplicas` (NATS_STREAM_REPLICAS) is how many servers keep each
 * stream this connection makes or updates (see putStream); unset, a new stream has one and an existing one keeps
 * its own.
 */
export async function connectNats(
  url: string,
  name: string,
  options: { streamReplicas?: number | undefined } = {},
): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    timeout: 5_000,
  });
  watchConnection(nc, { connection: name });
  if (options.streamReplicas) streamReplicas.set(nc, options.streamReplicas);
  return nc;
}

/**
 * Makes a stream, or updates the one there to `config`, with the connection's replica count (connectNats): a
 * process not told keeps what the stream has, so processes of one installation never undo each other's count.
 */
export async function putStream(nc: NatsConnection, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: STREAM_CHANGE_TIMEOUT_MS });
  const existing = await jsm.streams.info(config.name).catch(() => undefined);
  const num_replicas = streamReplicas.get(nc) ?? existing?.config.num_replicas ?? 1;
  const wanted: Partial<StreamConfig> & { name: string } = { ...config, num_replicas };
  if (!existing) {
    await jsm.streams.add(wanted);
    return;
  }
  // Every instance does this at start: a stream already as wanted is left alone (on a cluster, each change is a
  // round of the stream's replicas, and several at once have timed out).
  const current = existing.config as unknown as Record<string, unknown>;
  const same = Object.entries(wanted).every(([key, value]) => JSON.stringify(current[key]) === JSON.stringify(value));
  if (!same) await jsm.streams.update(config.name, wanted);
}

/**
 * Makes the JetStream streams again each time the connection comes back, so that relays can publish after
 * NATS lost its state (a server replaced without its volume); consumers make their durables again themselves
 * (startEventConsumer). Ends when the connection closes.
 */
export function ensureStreamsOnReconnect(nc: NatsConnection, log: Logger): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type !== 'reconnect') continue;
      await ensureStreams(nc).catch((error: unknown) =>
        log.warn({ err: error }, 'could not make the JetStream streams after reconnecting; the relay retries'),
      );
    }
  })().catch(() => undefined);
}

/**
 * `true` when JetStream answers and the events stream exists (what a process that publishes and consumes
 * events needs), within a few seconds.
 */
export async function isJetStreamReady(nc: NatsConnection): Promise<boolean> {
  if (nc.isClosed()) return false;
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000 });
    await jsm.streams.info(EVENTS_STREAM);
    return true;
  } catch {
    return false;
  }
}

/** Follows the client's status events into the `letstalk_nats_*` metrics until the connection closes. */
function watchConnection(nc: NatsConnection, labels: { connection: string }): void {
  natsConnected.set(labels, 1);
  natsDisconnects.inc(labels, 0);
  natsReconnects.inc(labels, 0);
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        natsConnected.set(labels, 0);
        natsDisconnects.inc(labels);
      } else if (status.type === 'reconnect') {
        natsConnected.set(labels, 1);
        natsDisconnects.inc(labels, 0);
        natsReconnects.inc(labels, 0);
        natsReconnects.inc(labels);
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => natsConnected.set(labels, 0));
}

/** Creates or updates the JetStream streams LetsTalk needs (idempotent; safe from every instance). */
export async function ensureStreams(nc: NatsConnection): Promise<void> {
  // LETSTALK_USERS first: before 2026-11 it held every `user.*` subject, which must leave it before the
  // events stream can take `user.updated` (two streams may not share a subject).
  const streams: (Partial<StreamConfig> & { name: string })[] = [
    {
      name: USERS_STREAM,
      subjects: USERS_STREAM_SUBJECTS,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
    },
    {
      name: EVENTS_STREAM,
      subjects: EVENT_SUBJECTS,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
      max_age: EVENTS_MAX_AGE_MS * NANOS_PER_MS,
    },
    {
      name: PRESENCE_STREAM,
      subjects: PRESENCE_STREAM_SUBJECTS,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
      max_age: PRESENCE_MAX_AGE_MS * NANOS_PER_MS,
    },
    {
      name: DEAD_LETTER_STREAM,
      subjects: [`${DEAD_LETTER_SUBJECT_PREFIX}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: 30 * 24 * 60 * 60 * 1000 * NANOS_PER_MS,
    },
  ];
  for (const config of streams) await putStream(nc, config);
  await moveProfileChangesOutOfUsersStream(nc);
}

/** The stream that stores a subject. */
export function streamOf(subject: string): string {
  if (USERS_STREAM_SUBJECTS.includes(subject)) return USERS_STREAM;
  return subject.startsWith('presence.') ? PRESENCE_STREAM : EVENTS_STREAM;
}

/** `true` when the server answers a ping within a few seconds. */
export async function isNatsReady(nc: NatsConnection): Promise<boolean> {
  if (nc.isClosed()) return false;
  try {
    await Promise.race([nc.rtt(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000))]);
    return true;
  } catch {
    return false;
  }
}

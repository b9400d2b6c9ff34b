import { randomUUID } from 'node:crypto';
import { DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool, RowDataPacket } from '@letstalk/db';
import {
  durableName,
  eventIdOf,
  presenceBucket,
  presenceChanged,
  publishLive,
  startEventConsumer,
  stopConsumers,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { blockedEitherWayAmong, findChatPartners, findConnected, settlePresence } from '../data/presence-repository.ts';
import type { MessageDb } from '../data/tables.ts';
import { statusFrom } from './presence-view.ts';

/** Default of PRESENCE_SWEEP_INTERVAL_MS: how often the sweeper compares stored presence with the bucket. */
export const PRESENCE_SWEEP_INTERVAL_MS = 15_000;

/**
 * Everyone whose view of `userId`'s presence follows it: the people who share a chat with them, but not those
 * either of them blocked (they see a hidden presence whatever happens), and the person themselves (their other
 * devices).
 */
async function presenceAudience(db: MessageDb, userId: string): Promise<string[]> {
  const [partners, blocked] = await Promise.all([
    findChatPartners(db, userId),
    blockedEitherWayAmong(db, userId, undefined),
  ]);
  return [...new Set([userId, ...partners.filter((id) => !blocked.has(id))])];
}

/** Tells `viewers` that `userId`'s presence may look different to them now (not stored: NATS core). */
export function signalPresence(nc: NatsConnection, viewers: readonly string[], userId: string, id = randomUUID()) {
  publishLive(nc, viewers, { kind: 'presence', id, userId });
}

/**
 * Keeps stored presence in step with the presence bucket the gateways write: a durable consumer of
 * `presence.changed` (instances share the work) reads the person's keys, stores the status their keys make (and
 * when they were last seen, when they go OFFLINE), and, when what others see changed, tells them live. A sweeper,
 * on one instance at a time (a MariaDB named lock), settles the people whose keys expired (their gateway died
 * without a word) and those with keys stored as OFFLINE (an event lost).
 */
export async function startPresence(options: {
  nc: NatsConnection;
  db: MessageDb;
  pool: Pool;
  database: string;
  sweepIntervalMs: number;
  /** The presence bucket's name (PRESENCE_BUCKET). */
  bucket: string;
  log: Logger;
}) {
  const { nc, db, log } = options;
  const bucket = presenceBucket(nc, options.bucket);

  /** Settles one person; `shown`: their setting changed, so everyone who may see them hears of it. */
  const settle = async (userId: string, id: string, options: { seenAt?: Date; shown?: boolean } = {}) => {
    const read = async () => statusFrom(await bucket.statesOf(userId));
    const { row, changed } = await settlePresence(db, userId, read, options.seenAt);
    if (!changed && !options.shown) return;
    // A hidden presence looks the same to others whatever the status: only the person's own devices hear.
    const viewers = row.hidden && !options.shown ? [userId] : await presenceAudience(db, userId);
    publishLive(nc, viewers, { kind: 'presence', id, userId });
  };

  const consumer = await startEventConsumer({
    nc,
    contract: presenceChanged,
    durable: durableName(options.database, 'presence'),
    log,
    // What happened before this consumer existed is the sweeper's to settle.
    deliverPolicy: DeliverPolicy.New,
    handle: (event, message) =>
      settle(event.userId, eventIdOf(message), {
        // When the last socket closed on a gateway is when the person was last seen, however late this runs.
        ...(event.status === 'OFFLINE' ? { seenAt: new Date(event.at) } : {}),
        shown: event.cause === 'HIDDEN',
      }),
  });

  const lockName = `letstalk-presence-sweep:${options.database}`;
  const sweep = async () => {
    const connection = await options.pool.getConnection();
    try {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS locked', [lockName]);
      if (rows[0]?.locked !== 1) return;
      try {
        const [connected, stored] = await Promise.all([bucket.connectedUsers(), findConnected(db)]);
        const storedSet = new Set(stored);
        const expired = stored.filter((userId) => !connected.has(userId));
        const unsettled = [...connected].filter((userId) => !storedSet.has(userId));
        for (const userId of [...expired, ...unsettled]) await settle(userId, randomUUID());
      } finally {
        await connection.query('SELECT RELEASE_LOCK(?)', [lockName]);
      }
    } finally {
      connection.release();
    }
  };
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= sweep()
      .catch((error: unknown) => log.warn({ err: error }, 'presence sweep failed; trying again at the next one'))
      .finally(() => {
        sweeping = undefined;
      });
  }, options.sweepIntervalMs);
  timer.unref();

  return {
    stop: async () => {
      clearInterval(timer);
      await sweeping;
      await stopConsumers([consumer]);
    },
  };
}

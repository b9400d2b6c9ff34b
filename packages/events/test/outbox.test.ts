import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream, type Consumer } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDatabase, createPool, ensureDatabase, type Pool, type RowDataPacket } from '@letstalk/db';
import { createLogger } from '@letstalk/log';
import { localServices, startRestartableNats, waitUntil } from '@letstalk/testing';
import {
  connectNats,
  decodeEvent,
  defineEvent,
  enqueueEvent,
  ensureStreams,
  streamOf,
  outbox,
  purgePublishedOutbox,
  startOutboxRelay,
  writeWithEvents,
} from '../src/index.ts';

const DATABASE = 'letstalk_events_test';
const serverUrl = localServices().databaseUrl;
const log = createLogger({ service: 'outbox-test', level: 'silent', pretty: false });
/** A subject only these tests publish; each test tells its events apart by a run id. */
const relayTest = defineEvent('message.outbox-test', 1, z.object({ run: z.string(), n: z.number().int() }));

let pool: Pool;
let nc: NatsConnection;

beforeAll(async () => {
  await ensureDatabase(serverUrl, DATABASE);
  pool = createPool(serverUrl, DATABASE);
  // Subgraphs get this table from their drizzle migrations; the test makes the same one directly.
  await pool.query(`CREATE TABLE IF NOT EXISTS outbox (
    id bigint unsigned AUTO_INCREMENT PRIMARY KEY,
    msg_id varchar(64) NOT NULL UNIQUE,
    subject varchar(200) NOT NULL,
    payload text NOT NULL,
    trace_context text,
    created_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    published_at datetime(3),
    KEY outbox_published_at_id (published_at, id)
  )`);
  // A table made by an earlier release of this test (MariaDB's IF NOT EXISTS; the tests run on MariaDB).
  await pool.query('ALTER TABLE outbox ADD COLUMN IF NOT EXISTS trace_context text');
  nc = await connectNats(localServices().natsUrl, 'outbox-test');
  await ensureStreams(nc);
});

afterAll(async () => {
  await nc?.drain();
  await pool?.end();
});

async function newConsumer(): Promise<Consumer> {
  return jetstream(nc).consumers.get(streamOf(relayTest.subject), {
    filter_subjects: relayTest.subject,
    deliver_policy: DeliverPolicy.New,
  });
}

/** Reads the test subject until `expected` events of this run arrived, then a little longer for extras. */
async function eventsOfRun(consumer: Consumer, run: string, expected: number): Promise<number[]> {
  const seen: number[] = [];
  const messages = await consumer.consume();
  const stop = setTimeout(() => void messages.stop(), 5_000);
  let extraWait: NodeJS.Timeout | undefined;
  for await (const message of messages) {
    const event = decodeEvent(relayTest, message.data);
    if (event.run === run) seen.push(event.n);
    if (seen.length === expected && !extraWait) extraWait = setTimeout(() => void messages.stop(), 500);
  }
  clearTimeout(stop);
  clearTimeout(extraWait);
  return seen;
}

describe('the outbox relay', () => {
  it('publishes committed events, and none of a rolled-back transaction', async () => {
    const run = randomUUID();
    const consumer = await newConsumer();
    const db = createDatabase(pool, { outbox });
    await db.transaction(async (tx) => {
      await enqueueEvent(tx, relayTest, { run, n: 1 });
      await enqueueEvent(tx, relayTest, { run, n: 2 });
    });
    await db
      .transaction(async (tx) => {
        await enqueueEvent(tx, relayTest, { run, n: 3 });
        throw new Error('the state change failed');
      })
      .catch(() => undefined);
    const relay = startOutboxRelay({ pool, nc, log });
    try {
      expect((await eventsOfRun(consumer, run, 2)).sort()).toEqual([1, 2]);
    } finally {
      await relay.stop();
    }
  });

  it('publishes what a write enqueued as soon as it commits, in order, and nothing of an attempt that rolled back', async () => {
    const run = randomUUID();
    const consumer = await newConsumer();
    const db = createDatabase(pool, { outbox });
    // The relay's own statements on the pool (a poll's claim runs on a connection of its own).
    const statements: string[] = [];
    const watched = new Proxy(pool, {
      get: (target, key) =>
        key === 'query'
          ? (sql: string | { sql: string }, ...rest: unknown[]) => {
              statements.push(typeof sql === 'string' ? sql : sql.sql);
              return (target.query as (...args: unknown[]) => unknown)(sql, ...rest);
            }
          : Reflect.get(target, key),
    });
    const relay = startOutboxRelay({ pool: watched, nc, log });
    try {
      let attempts = 0;
      // Every id enqueueEvent gave out, the rolled-back attempt's included: the relay publishes what exists.
      const ids: string[] = [];
      await writeWithEvents(
        relay,
        async () => {
          // A transaction that lost a race and ran again: the first attempt's event was never stored.
          for (;;) {
            attempts += 1;
            const failed = await db
              .transaction(async (tx) => {
                for (const n of attempts === 1 ? [0] : [1, 2, 3])
                  ids.push(await enqueueEvent(tx, relayTest, { run, n }));
                if (attempts === 1) throw new Error('deadlock');
              })
              .then(
                () => false,
                () => true,
              );
            if (!failed) return ids;
          }
        },
        (enqueued) => enqueued,
      );
      expect(await eventsOfRun(consumer, run, 3)).toEqual([1, 2, 3]);
      expect(statements.some((sql) => sql.includes('WHERE msg_id IN'))).toBe(true);
    } finally {
      await relay.stop();
    }
  });

  it('refuses a payload that does not match its contract', async () => {
    const db = createDatabase(pool, { outbox });
    await expect(enqueueEvent(db, relayTest, { run: 'x', n: 1.5 })).rejects.toThrow();
  });

  it('two relays publish every event exactly once', async () => {
    const run = randomUUID();
    const consumer = await newConsumer();
    const db = createDatabase(pool, { outbox });
    const relays = [startOutboxRelay({ pool, nc, log }), startOutboxRelay({ pool, nc, log })];
    try {
      await Promise.all(
        Array.from({ length: 60 }, (_, n) => db.transaction((tx) => enqueueEvent(tx, relayTest, { run, n }))),
      );
      relays.forEach((relay) => relay.nudge());
      const seen = await eventsOfRun(consumer, run, 60);
      expect(seen).toHaveLength(60);
      expect(new Set(seen).size).toBe(60);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
  });

  it('a relay that crashed after publishing and before marking publishes nothing twice', async () => {
    const run = randomUUID();
    const consumer = await newConsumer();
    const db = createDatabase(pool, { outbox });
    const msgId = randomUUID();
    await enqueueEvent(db, relayTest, { run, n: 7 }, msgId);
    // What a relay does before it dies: publish the row, never mark it published.
    const [rows] = await pool.query<RowDataPacket[]>('SELECT payload FROM outbox WHERE msg_id = ?', [msgId]);
    const first = await jetstream(nc).publish(relayTest.subject, rows[0]?.payload as string, { msgID: msgId });
    expect(first.duplicate).toBe(false);
    const relay = startOutboxRelay({ pool, nc, log });
    try {
      expect(await eventsOfRun(consumer, run, 1)).toEqual([7]);
      const [marked] = await pool.query<RowDataPacket[]>('SELECT published_at FROM outbox WHERE msg_id = ?', [msgId]);
      expect(marked[0]?.published_at).toBeInstanceOf(Date);
    } finally {
      await relay.stop();
    }
  });

  it('a row no stream takes is left aside, in the table, while every other event goes out', async () => {
    const run = randomUUID().slice(0, 8);
    const consumer = await newConsumer();
    const db = createDatabase(pool, { outbox });
    // A subject from a release whose stream is not there yet: JetStream has no stream that takes it.
    await pool.query('INSERT INTO outbox (msg_id, subject, payload) VALUES ?', [
      [[`stray-${run}`, `nowhere.outbox-test-${run}`, '{}']],
    ]);
    await enqueueEvent(db, relayTest, { run, n: 1 });
    await enqueueEvent(db, relayTest, { run, n: 2 });
    const relay = startOutboxRelay({ pool, nc, log });
    try {
      expect((await eventsOfRun(consumer, run, 2)).sort()).toEqual([1, 2]);
      // ...and marked published (not published again and again with the stray row's batch).
      await waitUntil(async () => {
        const [left] = await pool.query<RowDataPacket[]>(
          'SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL AND payload LIKE ?',
          [`%"run":"${run}"%`],
        );
        return Number(left[0]!.n) === 0;
      }, 'the two events marked published');
      const [stray] = await pool.query<RowDataPacket[]>('SELECT published_at FROM outbox WHERE msg_id = ?', [
        `stray-${run}`,
      ]);
      expect(stray).toEqual([{ published_at: null }]);
    } finally {
      await relay.stop();
      await pool.query('DELETE FROM outbox WHERE msg_id = ?', [`stray-${run}`]);
    }
  });
});

describe('the outbox relay while NATS does not answer', () => {
  it('lets writes enqueue events while its poll waits on a publish (no lock on where new rows go)', async () => {
    const nats = await startRestartableNats();
    const relayNc = await connectNats(nats.url, 'outbox-stuck-test');
    try {
      await ensureStreams(relayNc);
      const db = createDatabase(pool, { outbox });
      const run = randomUUID();
      await enqueueEvent(db, relayTest, { run, n: 1 });
      // Its publishes now wait for an answer until they time out (a NATS cluster electing leaders does the same).
      await nats.kill();
      const relay = startOutboxRelay({ pool, nc: relayNc, log });
      try {
        // The poll has claimed the row (locked it) and is publishing it, inside its transaction.
        await waitUntil(async () => {
          const probe = await pool.getConnection();
          try {
            await probe.beginTransaction();
            await probe.query('SELECT id FROM outbox WHERE payload LIKE ? FOR UPDATE NOWAIT', [`%"run":"${run}"%`]);
            return false;
          } catch {
            return true;
          } finally {
            await probe.rollback();
            probe.release();
          }
        }, 'the relay to hold its claim');
        const started = performance.now();
        await enqueueEvent(db, relayTest, { run, n: 2 });
        // Without READ COMMITTED the insert waited for the publish's 5 s timeout.
        expect(performance.now() - started).toBeLessThan(2_000);
      } finally {
        await nats.restart();
        await relay.stop();
      }
    } finally {
      await relayNc.close();
      await nats.stop();
    }
  }, 60_000);
});

describe('the outbox purge', () => {
  it('deletes every row published before the cutoff, batch after batch, and nothing newer', async () => {
    const run = randomUUID().slice(0, 8);
    const rows = (count: number, publishedAt: Date, kind: string) =>
      Array.from({ length: count }, (_, n) => [`purge-${run}-${kind}-${n}`, 'test.purge', '{}', publishedAt]);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await pool.query('INSERT INTO outbox (msg_id, subject, payload, published_at) VALUES ?', [
      // No unpublished rows: the other tests' relays share this table and would try to publish them.
      [...rows(25, twoDaysAgo, 'old'), ...rows(3, new Date(), 'recent')],
    ]);
    const cutoff = new Date(Date.now() - 24 * 60 * 60 * 1000);
    // 25 old rows, 7 at a time: a single batch (the old purge) would leave 18.
    expect(await purgePublishedOutbox(pool, cutoff, { batchSize: 7 })).toBeGreaterThanOrEqual(25);
    const [left] = await pool.query<RowDataPacket[]>('SELECT msg_id FROM outbox WHERE msg_id LIKE ?', [
      `purge-${run}-%`,
    ]);
    expect(left.map((row) => String(row.msg_id).split('-')[2]).sort()).toEqual(['recent', 'recent', 'recent']);
    await pool.query('DELETE FROM outbox WHERE msg_id LIKE ?', [`purge-${run}-%`]);
  });
});

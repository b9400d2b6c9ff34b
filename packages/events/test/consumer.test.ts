import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@letstalk/log';
import { localServices } from '@letstalk/testing';
import {
  connectNats,
  DEAD_LETTER_STREAM,
  defineEvent,
  durableName,
  ensureStreams,
  MAX_DELIVERIES,
  PoisonEventError,
  startEventConsumer,
  streamOf,
  type EventEnvelope,
} from '../src/index.ts';

const log = createLogger({ service: 'consumer-test', level: 'silent', pretty: false });
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectNats(localServices().natsUrl, 'consumer-test');
  await ensureStreams(nc);
});
afterAll(() => nc?.drain());

/** A durable consumer of its own per test, named like every service's. */
const testDurable = () => durableName('letstalk_consumer_test', `test-${randomUUID().slice(0, 8)}`);

/** A subject of its own per test run, so durable consumers of earlier runs never see these events. */
function testContract() {
  return defineEvent(`message.consumer-test-${randomUUID().slice(0, 8)}`, 1, z.object({ n: z.number().int() }));
}

const publish = (subject: string, data: unknown, version = 1) =>
  jetstream(nc).publish(subject, JSON.stringify({ v: version, data } satisfies EventEnvelope));

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((wait) => setTimeout(wait, 50));
  }
};

async function deadLettersFor(subject: string, expected: number): Promise<{ reason: string | undefined }[]> {
  const consumer = await jetstream(nc).consumers.get(DEAD_LETTER_STREAM, {
    filter_subjects: `dead.${subject}`,
    deliver_policy: DeliverPolicy.All,
  });
  const found: { reason: string | undefined }[] = [];
  const messages = await consumer.consume();
  const timer = setTimeout(() => void messages.stop(), 5_000);
  for await (const message of messages) {
    found.push({ reason: message.headers?.get('LetsTalk-Reason') });
    if (found.length === expected) break;
  }
  clearTimeout(timer);
  messages.stop();
  return found;
}

describe('durableName', () => {
  it('names a consumer after the database of its installation, then what it is for', () => {
    expect(durableName('letstalk_media', 'image-worker')).toBe('letstalk_media-image-worker');
    for (const [database, purpose] of [
      ['letstalk_media', 'Image worker'],
      ['letstalk_media', 'image.worker'],
      ['letstalk.media', 'image-worker'],
      ['letstalk_media', ''],
    ] as const) {
      expect(() => durableName(database, purpose)).toThrow();
    }
  });
});

describe('event consumers', () => {
  it('handles every event once and acks it', async () => {
    const contract = testContract();
    const seen: number[] = [];
    const durable = testDurable();
    const consumer = await startEventConsumer({
      nc,
      contract,
      durable,
      log,
      handle: async (event) => {
        seen.push(event.n);
      },
    });
    try {
      for (let n = 0; n < 20; n += 1) await publish(contract.subject, { n });
      await until(() => seen.length === 20);
      await new Promise((wait) => setTimeout(wait, 300));
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
      const info = await (await jetstreamManager(nc)).consumers.info(streamOf(contract.subject), durable);
      expect(info.config.durable_name).toBe(durable);
    } finally {
      await consumer.stop();
    }
  });

  /**
   * A consumer of a subject of its own whose handler throws what `failure` gives for each attempt (1, 2, ...),
   * and succeeds when it gives nothing; retries come after 20 ms.
   */
  async function failingConsumer(failure: (attempt: number) => Error | undefined) {
    const contract = testContract();
    const state = { attempts: 0, done: 0 };
    const consumer = await startEventConsumer({
      nc,
      contract,
      durable: testDurable(),
      log,
      retryDelayMs: () => 20,
      handle: async () => {
        state.attempts += 1;
        const error = failure(state.attempts);
        if (error) throw error;
        state.done += 1;
      },
    });
    await publish(contract.subject, { n: 1 });
    return { state, deadLetters: () => deadLettersFor(contract.subject, 1), stop: () => consumer.stop() };
  }

  it('retries a handler that fails for an unknown reason with back-off, then dead-letters it on the last attempt', async () => {
    const failing = await failingConsumer(() => new Error('a bug'));
    try {
      await until(() => failing.state.attempts === MAX_DELIVERIES);
      expect(await failing.deadLetters()).toEqual([{ reason: 'a bug' }]);
      await new Promise((wait) => setTimeout(wait, 500));
      expect(failing.state.attempts).toBe(MAX_DELIVERIES);
    } finally {
      await failing.stop();
    }
  });

  it('retries a transient failure for as long as it takes, well past the attempts an unknown failure gets', async () => {
    const outageAttempts = MAX_DELIVERIES * 2;
    // What mysql2 throws while MariaDB is down, wrapped as drizzle wraps it.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const failing = await failingConsumer((attempt) =>
      attempt < outageAttempts ? new Error('Failed query: insert into ...', { cause: refused }) : undefined,
    );
    try {
      await until(() => failing.state.done === 1);
      expect(failing.state.attempts).toBe(outageAttempts);
      expect(await failing.deadLetters()).toEqual([]);
    } finally {
      await failing.stop();
    }
  });

  it("dead-letters a poison event at once, on its handler's verdict", async () => {
    const failing = await failingConsumer(() => new PoisonEventError('the chat of this event was never created'));
    try {
      expect(await failing.deadLetters()).toEqual([{ reason: 'the chat of this event was never created' }]);
      await new Promise((wait) => setTimeout(wait, 300));
      expect(failing.state.attempts).toBe(1);
    } finally {
      await failing.stop();
    }
  });

  it('does not deliver an event again while its handler is still at it past the ack wait', async () => {
    const contract = testContract();
    let started = 0;
    let finished = 0;
    const consumer = await startEventConsumer({
      nc,
      contract,
      durable: testDurable(),
      log,
      ackWaitMs: 1_000,
      handle: async () => {
        started += 1;
        // Three ack waits: without progress signals, the server hands the event out again twice meanwhile.
        await new Promise((wait) => setTimeout(wait, 3_000));
        finished += 1;
      },
    });
    try {
      await publish(contract.subject, { n: 1 });
      await until(() => finished === 1, 6_000);
      await new Promise((wait) => setTimeout(wait, 1_500));
      expect({ started, finished }).toEqual({ started: 1, finished: 1 });
    } finally {
      await consumer.stop();
    }
  });

  it('dead-letters an event that breaks its contract without calling the handler', async () => {
    const contract = testContract();
    let calls = 0;
    const consumer = await startEventConsumer({
      nc,
      contract,
      durable: testDurable(),
      log,
      handle: async () => {
        calls += 1;
      },
    });
    try {
      await publish(contract.subject, { n: 'not a number' });
      await publish(contract.subject, { n: 1 }, 99);
      const dead = await deadLettersFor(contract.subject, 2);
      expect(dead.map((entry) => entry.reason)).toEqual([
        expect.stringContaining('invalid event'),
        expect.stringContaining('unsupported version'),
      ]);
      expect(calls).toBe(0);
    } finally {
      await consumer.stop();
    }
  });
});

describe('a renamed durable consumer', () => {
  /** Handles the contract's events under `durable` until `count` have been acked, then stops. */
  async function consumeAs(contract: ReturnType<typeof testContract>, durable: string, formerly?: string) {
    const seen: number[] = [];
    const consumer = await startEventConsumer({
      nc,
      contract,
      durable,
      log,
      ...(formerly ? { formerly } : {}),
      handle: async (event) => {
        seen.push(event.n);
      },
    });
    return { seen, stop: () => consumer.stop() };
  }

  it('goes on after the events its former name acknowledged, and the former consumer is deleted', async () => {
    const contract = testContract();
    const stream = streamOf(contract.subject);
    const former = `test-former-${randomUUID().slice(0, 8)}`;
    const before = await consumeAs(contract, former);
    for (let n = 1; n <= 3; n += 1) await publish(contract.subject, { n });
    await until(() => before.seen.length === 3);
    await before.stop();
    for (let n = 4; n <= 5; n += 1) await publish(contract.subject, { n });

    const durable = testDurable();
    const after = await consumeAs(contract, durable, former);
    try {
      await until(() => after.seen.length >= 2);
      await new Promise((wait) => setTimeout(wait, 300));
      expect(after.seen.sort((a, b) => a - b)).toEqual([4, 5]);
      const jsm = await jetstreamManager(nc);
      await expect(jsm.consumers.info(stream, former)).rejects.toThrow();
      // Started again (the next release, a restart), it keeps its place.
      await after.stop();
      const again = await consumeAs(contract, durable, former);
      await publish(contract.subject, { n: 6 });
      await until(() => again.seen.length >= 1);
      await new Promise((wait) => setTimeout(wait, 300));
      await again.stop();
      expect(again.seen).toEqual([6]);
    } finally {
      await after.stop();
    }
  });
});

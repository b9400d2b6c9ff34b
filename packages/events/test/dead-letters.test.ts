import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@letstalk/log';
import { localServices, waitUntil } from '@letstalk/testing';
import {
  connectNats,
  defineEvent,
  durableName,
  ensureStreams,
  listDeadLetters,
  MAX_DELIVERIES,
  replayDeadLetter,
  startEventConsumer,
  type EventEnvelope,
} from '../src/index.ts';

const log = createLogger({ service: 'dead-letters-test', level: 'silent', pretty: false });
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectNats(localServices().natsUrl, 'dead-letters-test');
  await ensureStreams(nc);
});
afterAll(() => nc?.drain());

describe('dead letters', () => {
  it('are listed with the consumer that gave up, and a replay redoes the work for that consumer only', async () => {
    const run = randomUUID().slice(0, 8);
    const contract = defineEvent(`message.dead-letter-test-${run}`, 1, z.object({ n: z.number().int() }));
    let broken = true;
    const failing = { durable: durableName('letstalk_dead_letter_test', `failing-${run}`), attempts: 0, done: 0 };
    const healthy = { durable: durableName('letstalk_dead_letter_test', `healthy-${run}`), done: 0 };
    const consumers = await Promise.all([
      startEventConsumer({
        nc,
        contract,
        durable: failing.durable,
        log,
        retryDelayMs: () => 20,
        handle: async () => {
          failing.attempts += 1;
          if (broken) throw new Error('the database is down');
          failing.done += 1;
        },
      }),
      startEventConsumer({
        nc,
        contract,
        durable: healthy.durable,
        log,
        handle: async () => {
          healthy.done += 1;
        },
      }),
    ]);
    try {
      await jetstream(nc).publish(contract.subject, JSON.stringify({ v: 1, data: { n: 1 } } satisfies EventEnvelope));
      await waitUntil(() => failing.attempts === MAX_DELIVERIES && healthy.done === 1, 'the last attempt');
      let letters: Awaited<ReturnType<typeof listDeadLetters>> = [];
      await waitUntil(async () => {
        letters = await listDeadLetters(nc, { subject: contract.subject });
        return letters.length === 1;
      }, 'the dead letter');
      expect(letters[0]).toMatchObject({
        subject: contract.subject,
        durable: failing.durable,
        reason: 'the database is down',
      });

      broken = false;
      const replayed = await replayDeadLetter(nc, letters[0]!.seq);
      expect(replayed).toMatchObject({ subject: contract.subject, durable: failing.durable });
      await waitUntil(() => failing.done === 1, 'the replay to be handled');
      await new Promise((wait) => setTimeout(wait, 500));
      // The consumer that had handled the event is not asked again; the letter is gone.
      expect({ failing: failing.done, healthy: healthy.done }).toEqual({ failing: 1, healthy: 1 });
      expect(await listDeadLetters(nc, { subject: contract.subject })).toEqual([]);
      await expect(replayDeadLetter(nc, letters[0]!.seq)).rejects.toThrow();
    } finally {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    }
  });
});

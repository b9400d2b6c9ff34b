import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
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
  everySubjectOf,
  startEventConsumer,
  streamOf,
  subjectOf,
  type EventEnvelope,
} from '../src/index.ts';

const log = createLogger({ service: 'subjects-test', level: 'silent', pretty: false });
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectNats(localServices().natsUrl, 'subjects-test');
  await ensureStreams(nc);
});
afterAll(() => nc?.drain());

const testDurable = () => durableName('letstalk_consumer_test', `subjects-${randomUUID().slice(0, 8)}`);

const publish = (subject: string, data: unknown) =>
  jetstream(nc).publish(subject, JSON.stringify({ v: 1, data } satisfies EventEnvelope));

describe('subjects with tokens', () => {
  /** A contract whose events go out on `<subject>.<odd|even>`. */
  const tokenContract = () =>
    defineEvent(`message.consumer-test-${randomUUID().slice(0, 8)}`, 1, z.object({ n: z.number().int() }), (data) => [
      data.n % 2 === 0 ? 'even' : 'odd',
    ]);
  const publishEvent = (contract: ReturnType<typeof tokenContract>, n: number) =>
    publish(subjectOf(contract, { n }), { n });

  async function consume(
    contract: ReturnType<typeof tokenContract>,
    options: { durable: string; filter?: string; formerly?: string },
  ) {
    const seen: number[] = [];
    const consumer = await startEventConsumer({
      nc,
      contract,
      log,
      ...options,
      handle: async (event) => {
        seen.push(event.n);
      },
    });
    return { seen, stop: () => consumer.stop() };
  }

  it('publishes each event on its own subject; a filtered consumer gets only its own, an unfiltered one all', async () => {
    const contract = tokenContract();
    expect(subjectOf(contract, { n: 2 })).toBe(`${contract.subject}.even`);
    expect(everySubjectOf(contract)).toBe(`${contract.subject}.>`);
    const evens = await consume(contract, { durable: testDurable(), filter: `${contract.subject}.even` });
    const all = await consume(contract, { durable: testDurable() });
    try {
      for (let n = 1; n <= 6; n += 1) await publishEvent(contract, n);
      await waitUntil(() => all.seen.length === 6 && evens.seen.length === 3, 'every event');
      await new Promise((wait) => setTimeout(wait, 300));
      expect(evens.seen.sort((a, b) => a - b)).toEqual([2, 4, 6]);
      expect(all.seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await evens.stop();
      await all.stop();
    }
  });

  it('refuses a filter outside its contract', async () => {
    const contract = tokenContract();
    await expect(consume(contract, { durable: testDurable(), filter: 'message.other.>' })).rejects.toThrow(
      /not a subject of/,
    );
  });

  it('renamed with another filter, handles what the former consumer held, then deletes it', async () => {
    const contract = tokenContract();
    const stream = streamOf(contract.subject);
    // The former release published on the bare subject, and its consumer took that.
    const jsm = await jetstreamManager(nc);
    const former = testDurable();
    await jsm.consumers.add(stream, {
      durable_name: former,
      filter_subject: contract.subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    for (let n = 1; n <= 3; n += 1) await publish(contract.subject, { n });

    const durable = testDurable();
    const renamed = await consume(contract, { durable, filter: `${contract.subject}.even`, formerly: former });
    try {
      await publishEvent(contract, 4);
      await publishEvent(contract, 5);
      await waitUntil(() => renamed.seen.length >= 4, 'four events');
      const formerExists = () =>
        jsm.consumers.info(stream, former).then(
          () => true,
          () => false,
        );
      await waitUntil(async () => !(await formerExists()), 'the former consumer deleted');
      await new Promise((wait) => setTimeout(wait, 300));
      // The three old events through the former consumer, then only the new release's even one.
      expect(renamed.seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    } finally {
      await renamed.stop();
    }
  });
});

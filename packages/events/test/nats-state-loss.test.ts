import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@letstalk/log';
import { startReplaceableNats, waitUntil } from '@letstalk/testing';
import {
  connectNats,
  defineEvent,
  durableName,
  ensureStreams,
  ensureStreamsOnReconnect,
  isJetStreamReady,
  startEventConsumer,
  type EventEnvelope,
} from '../src/index.ts';

const log = createLogger({ service: 'nats-state-loss-test', level: 'silent', pretty: false });

describe('NATS losing its state', () => {
  it('streams and durable consumers are made again once it is back, and events flow again', async () => {
    const server = await startReplaceableNats();
    const nc = await connectNats(server.url, 'nats-state-loss-test');
    await ensureStreams(nc);
    ensureStreamsOnReconnect(nc, log);
    const contract = defineEvent(`message.state-loss-test-${randomUUID().slice(0, 8)}`, 1, z.object({ n: z.number() }));
    const seen: number[] = [];
    const consumer = await startEventConsumer({
      nc,
      contract,
      durable: durableName('letstalk_state_loss_test', 'consumer'),
      log,
      handle: async (event) => {
        seen.push(event.n);
      },
    });
    const publish = (n: number) =>
      jetstream(nc).publish(contract.subject, JSON.stringify({ v: 1, data: { n } } satisfies EventEnvelope));
    try {
      await publish(1);
      await waitUntil(() => seen.includes(1), 'the first event', { timeoutMs: 20_000 });

      await server.replaceWithoutState();
      // The relay's part: publishing works again once the streams are back (it retries until then).
      await waitUntil(
        () =>
          publish(2).then(
            () => true,
            () => false,
          ),
        'a publish to succeed',
        { timeoutMs: 20_000 },
      );
      await waitUntil(() => seen.includes(2), 'the event published after the restart', { timeoutMs: 20_000 });
      expect(await isJetStreamReady(nc)).toBe(true);
      expect(seen).toEqual([1, 2]);
    } finally {
      await consumer.stop();
      await nc.close();
      await server.stop();
    }
  }, 60_000);
});

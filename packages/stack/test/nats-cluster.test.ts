import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, ensureStreams, EVENTS_STREAM } from '@letstalk/events';
import { startNatsCluster, type NatsCluster } from '../src/scaled/nats-cluster.ts';

describe('a three-node NATS cluster', () => {
  let dataDir: string;
  let cluster: NatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'letstalk-nats-cluster-'));
    cluster = await startNatsCluster(dataDir);
    nc = await connectNats(cluster.url, 'nats-cluster-test', { streamReplicas: 3 });
  }, 90_000);
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the streams on three nodes, and loses nothing when one is killed', async () => {
    await ensureStreams(nc);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(EVENTS_STREAM);
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas?.length).toBe(2);

    const js = jetstream(nc);
    const subject = 'chat.cluster-test';
    for (let n = 0; n < 10; n += 1) await js.publish(subject, String(n), { msgID: `before-${n}` });
    // The stream's leader, the worst node to lose.
    const leader = cluster.nodes.find((node) => node.name === info.cluster?.leader)!;
    await leader.kill();
    // Until the other two elect a leader (seconds), a publish times out: retried as the outbox relay retries it,
    // with its message id, so none is stored twice.
    for (let n = 10; n < 20; n += 1) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const stored = await js.publish(subject, String(n), { msgID: `after-${n}`, timeout: 2_000 }).catch(() => null);
        if (stored) break;
        if (Date.now() > deadline) throw new Error(`message ${n} was never stored`);
      }
    }

    // The stream's new leader may still be settling: made again until it answers, as the event consumers do.
    const consumer = await (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const made = await js.consumers.get(EVENTS_STREAM, { filter_subjects: subject }).catch(() => null);
        if (made) return made;
        if (Date.now() > deadline) throw new Error('no consumer could be made on the stream');
      }
    })();
    const read: string[] = [];
    for (let message = await consumer.next({ expires: 5_000 }); message;) {
      read.push(message.string());
      message = read.length < 20 ? await consumer.next({ expires: 5_000 }) : null;
    }
    expect(read).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
    await leader.restart();
  }, 90_000);
});

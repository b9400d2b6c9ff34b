import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectNats, publishLive, type LiveEvent } from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { requireServices, startRestartableNats, type RestartableServer } from '@letstalk/testing';
import { LiveHub } from './hub.ts';

const log = createLogger({ service: 'test', level: 'silent', pretty: false });

describe('LiveHub across a NATS reconnection', () => {
  let nats: RestartableServer;
  let hubConnection: NatsConnection;
  let publisher: NatsConnection;
  beforeAll(async () => {
    await requireServices();
    nats = await startRestartableNats();
    hubConnection = await connectNats(nats.url, 'hub-test');
    publisher = await connectNats(nats.url, 'hub-test-publisher');
  }, 60_000);
  afterAll(async () => {
    await Promise.all([hubConnection?.close(), publisher?.close()]);
    await nats?.stop();
  });

  it('tells every listener of then that it missed events, and goes on hearing the viewer afterwards', async () => {
    const hub = new LiveHub(hubConnection, log);
    const userId = randomUUID();
    const heard: string[] = [];
    let missed = 0;
    const stop = hub.listen(userId, { event: (event) => heard.push(event.id), missed: () => (missed += 1) });
    // The server has the hub's subscription before anything is published to it (on a busy machine, it did not).
    await hubConnection.flush();
    const typing = (id: string): LiveEvent => ({
      kind: 'typing',
      id,
      chatId: 'chat',
      userId: 'someone',
      expiresAt: new Date().toISOString(),
    });
    publishLive(publisher, [userId], typing('before'));
    await vi.waitFor(() => expect(heard).toEqual(['before']));
    expect(missed).toBe(0);

    await nats.kill();
    // Published while the hub's connection is away: lost to core NATS, which is why the listener is told.
    await nats.restart();
    await vi.waitFor(() => expect(missed).toBe(1), { timeout: 15_000 });
    // Published again until heard: the publisher's own connection may still be reconnecting, and what it sends
    // meanwhile is its loss, not the hub's.
    await vi.waitFor(
      () => {
        if (!heard.includes('after')) publishLive(publisher, [userId], typing('after'));
        expect(heard).toContain('after');
      },
      { timeout: 15_000, interval: 500 },
    );
    expect(heard.filter((id) => id !== 'after')).toEqual(['before']);

    // A listener that stopped is not told of the next one.
    stop();
    expect(hub.size).toBe(0);
  }, 60_000);
});

import { once } from 'node:events';
import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { spawnGateway } from '@letstalk/stack';
import { signUp } from './helpers.ts';

/** What a gateway process that stops must not let a client hold up. */
describe('a gateway stopping on SIGTERM', () => {
  it('closes live sockets with 1001, cuts one that stopped reading, and exits 0 well within its deadline', async () => {
    const gateway = await spawnGateway({ ...inject('stackEnv'), SHUTDOWN_TIMEOUT_MS: '10000' }, inject('subgraphUrls'));
    const person = await signUp();
    const connect = async () => {
      const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await once(socket, 'open');
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${person.accessToken}` } }),
      );
      await once(socket, 'message');
      return socket;
    };
    const polite = await connect();
    const stuck = await connect();
    const politeClosed = once(polite, 'close');
    // Reads nothing more: the server's close frame is never answered, as with a client whose network hangs.
    (stuck as unknown as { _socket: { pause: () => void } })._socket.pause();

    const exited = once(gateway.child, 'exit');
    const signalled = Date.now();
    gateway.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect({ code, withinMs: Date.now() - signalled < 6_000 }).toEqual({ code: 0, withinMs: true });
    expect(((await politeClosed) as [number])[0]).toBe(1001);
    stuck.terminate();
    await person.client.dispose();
  });
});

import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { RequestEmailCodeDocument, SignInWithEmailCodeDocument, SignOutDocument } from '@letstalk/sdk';
import { waitForCode } from '@letstalk/testing';
import { WS_CLOSE_SIGNED_OUT } from '../src/websocket.ts';
import { clientFor, signUp, uniqueName, WAIT_MS } from './helpers.ts';

/** A graphql-ws socket with a running subscription, on `url`; resolves once acknowledged. */
async function liveSocket(accessToken: string, url = inject('gatewayUrl')) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((open) => socket.once('open', open));
  const acknowledged = new Promise((resolve) => socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve(undefined)));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${accessToken}` } }));
  await acknowledged;
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { typing { chatId } }' } }));
  return { socket, closed };
}

describe('signing out', () => {
  it('closes the session’s live connections at once, on every gateway, and leaves the person’s other sessions alone', async () => {
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    // A second session of Bob's (another device).
    const other = clientFor();
    await other.request(RequestEmailCodeDocument, { email: bob.email });
    const { signInWithEmailCode: otherSession } = await other.request(SignInWithEmailCodeDocument, { email: bob.email, code: await waitForCode(inject('inboxUrl'), bob.email) });

    const here = await liveSocket(bob.accessToken);
    const onSecondGateway = await liveSocket(bob.accessToken, inject('secondGatewayUrl'));
    const otherDevice = await liveSocket(otherSession.accessToken);
    const started = Date.now();
    await bob.client.request(SignOutDocument, {});
    const codes = await Promise.race([
      Promise.all([here.closed, onSecondGateway.closed]),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the sockets stayed open')), WAIT_MS)),
    ]);
    expect(codes).toEqual([WS_CLOSE_SIGNED_OUT, WS_CLOSE_SIGNED_OUT]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(otherDevice.socket.readyState).toBe(WebSocket.OPEN);
    otherDevice.socket.close();
    await Promise.all([bob.client.dispose(), other.dispose()]);
  });
});

import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  LetsTalkError,
  MeDocument,
  RequestEmailCodeDocument,
  SignInWithEmailCodeDocument,
  SignOutDocument,
} from '@letstalk/sdk';
import { waitForCode } from '@letstalk/testing';
import { WS_CLOSE_SESSION_ENDED } from '../src/websocket.ts';
import { clientFor, signUp, textOf, uniqueName, WAIT_MS } from './helpers.ts';

/** A graphql-ws socket on `url`, initialised with the token: `acknowledged` or not, and how it closed. */
async function connect(accessToken: string, url = inject('gatewayUrl')) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((open) => socket.once('open', open));
  const acknowledged = new Promise<boolean>((resolve) => {
    socket.on('message', (data) => JSON.parse(textOf(data)).type === 'connection_ack' && resolve(true));
    void closed.then(() => resolve(false));
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${accessToken}` } }));
  return { socket, closed, acknowledged: await acknowledged };
}

/** A graphql-ws socket with a running subscription, on `url`. */
async function liveSocket(accessToken: string, url = inject('gatewayUrl')) {
  const connection = await connect(accessToken, url);
  if (!connection.acknowledged) throw new Error('the connection was refused');
  connection.socket.send(
    JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { typing { chatId } }' } }),
  );
  return connection;
}

describe('signing out', () => {
  it('closes the session’s live connections at once, on every gateway, and leaves the person’s other sessions alone', async () => {
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    // A second session of Bob's (another device).
    const otherToken = { value: '' };
    const other = clientFor(() => otherToken.value || undefined);
    await other.request(RequestEmailCodeDocument, { email: bob.email });
    const { signInWithEmailCode: otherSession } = await other.request(SignInWithEmailCodeDocument, {
      email: bob.email,
      code: await waitForCode(inject('inboxUrl'), bob.email, 1),
    });
    otherToken.value = otherSession.accessToken;

    const here = await liveSocket(bob.accessToken);
    const onSecondGateway = await liveSocket(bob.accessToken, inject('secondGatewayUrl'));
    const otherDevice = await liveSocket(otherSession.accessToken);
    const started = Date.now();
    await bob.client.request(SignOutDocument, {});
    const codes = await Promise.race([
      Promise.all([here.closed, onSecondGateway.closed]),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the sockets stayed open')), WAIT_MS)),
    ]);
    expect(codes).toEqual([WS_CLOSE_SESSION_ENDED, WS_CLOSE_SESSION_ENDED]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(otherDevice.socket.readyState).toBe(WebSocket.OPEN);

    // The signed-out access token, still unexpired, no longer opens a connection nor answers a query.
    const again = await connect(bob.accessToken, inject('secondGatewayUrl'));
    expect([again.acknowledged, await again.closed]).toEqual([false, WS_CLOSE_SESSION_ENDED]);
    const query = await bob.client.request(MeDocument, {}).then(
      () => 'answered',
      (error: unknown) => (error instanceof LetsTalkError ? `${error.code} ${error.status}` : String(error)),
    );
    expect(query).toBe('UNAUTHENTICATED 401');
    // The other device's session goes on.
    expect((await other.request(MeDocument, {})).me?.id).toBe(bob.userId);
    otherDevice.socket.close();
    await Promise.all([bob.client.dispose(), other.dispose()]);
  });
});

import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { DeleteAccountDocument, MessagesDocument, StartDirectChatDocument } from '@letstalk/sdk';
import { WS_CLOSE_SESSION_ENDED } from '../src/websocket.ts';
import { say, signUp, textOf, uniqueName, WAIT_MS } from './helpers.ts';

describe('deleting an account through the gateway', () => {
  it('ends the person’s live connections at once; their messages stay, sent by "Deleted user"', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, chat.id, 'before I go');

    const socket = new WebSocket(inject('gatewayUrl').replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((open) => socket.once('open', open));
    const acknowledged = new Promise<void>((resolve) =>
      socket.on('message', (data) => JSON.parse(textOf(data)).type === 'connection_ack' && resolve()),
    );
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${alice.accessToken}` } }));
    await acknowledged;

    await alice.client.request(DeleteAccountDocument, {});
    const code = await Promise.race([
      closed,
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the socket stayed open')), WAIT_MS)),
    ]);
    expect(code).toBe(WS_CLOSE_SESSION_ENDED);
    const { messages } = await bob.client.request(MessagesDocument, { chatId: chat.id });
    expect(messages.edges[0]?.node).toMatchObject({
      text: 'before I go',
      sender: { id: alice.userId, displayName: 'Deleted user' },
    });
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });
});

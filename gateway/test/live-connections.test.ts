import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { MessageAddedDocument, StartDirectChatDocument, TypingDocument } from '@letstalk/sdk';
import { MAX_CONNECTIONS_PER_USER, MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../src/websocket.ts';
import { clientFor, codeOfFailure, collect, say, signUp, textOf, uniqueName, WAIT_MS } from './helpers.ts';

describe('live delivery over graphql-ws: subscriptions and connections', () => {
  it('a subscription the client completes stops at once; a closed socket frees its connection slot', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, chat.id, 'first');

    // More connections, one after another, than one person may hold at once: each replays the first
    // message (so its subscription is running when the socket closes), then closes.
    for (let index = 0; index <= MAX_CONNECTIONS_PER_USER + 2; index += 1) {
      const client = clientFor(() => bob.accessToken);
      const added = collect(client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
      await added.until(() => added.data().length === 1, `the replay on connection ${index + 1}`);
      await client.dispose();
    }

    // Over one raw graphql-ws socket: "a" is completed by the client, "b" keeps running.
    const socket = new WebSocket(inject('gatewayUrl').replace(/^http/, 'ws'), 'graphql-transport-ws');
    const received: { id?: string; type: string; payload?: { data?: { messageAdded?: { text: string } } } }[] = [];
    socket.on('message', (data) => received.push(JSON.parse(textOf(data))));
    await new Promise((open) => socket.once('open', open));
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + WAIT_MS;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(received)}`);
        await new Promise((wait) => setTimeout(wait, 20));
      }
    };
    const subscribe = (id: string, after: string) =>
      socket.send(
        JSON.stringify({
          id,
          type: 'subscribe',
          payload: {
            query:
              'subscription($chatId: ID!, $after: String) { messageAdded(chatId: $chatId, after: $after) { text } }',
            variables: { chatId: chat.id, after },
          },
        }),
      );
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bob.accessToken}` } }));
    await until(() => received.some((message) => message.type === 'connection_ack'), 'the connection to be accepted');
    subscribe('a', '0');
    await until(() => received.some((message) => message.id === 'a' && message.type === 'next'), 'the replay on "a"');
    socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    subscribe('b', '1');
    await say(alice, chat.id, 'second');
    await until(() => received.some((message) => message.id === 'b' && message.type === 'next'), '"second" on "b"');
    // "a" listened first: had it outlived its completion, "second" would have reached it before "b".
    expect(
      received.filter((message) => message.id === 'a').map((message) => message.payload?.data?.messageAdded?.text),
    ).toEqual(['first']);
    expect(received.find((message) => message.id === 'b')?.payload?.data?.messageAdded?.text).toBe('second');
    socket.close();
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('limits the operations running at once on one connection', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const streams = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION + 1 }, () =>
      collect(alice.client.subscribe(TypingDocument, {})),
    );
    const refused = streams[MAX_SUBSCRIPTIONS_PER_CONNECTION]!;
    await refused.until(() => refused.ended, 'the subscription past the limit to be refused');
    expect(codeOfFailure(refused.failure)).toBe('RATE_LIMITED');
    expect(streams.slice(0, MAX_SUBSCRIPTIONS_PER_CONNECTION).some((stream) => stream.ended)).toBe(false);
    await Promise.all(streams.map((stream) => stream.stop()));
    await alice.client.dispose();
  });
});

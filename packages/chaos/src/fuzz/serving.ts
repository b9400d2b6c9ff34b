import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { graphql, signIn, type SignInSetup } from './people.ts';

/** How long the final check waits for the message to arrive live. */
const RECEIVE_TIMEOUT_MS = 15_000;

/**
 * After the pass, the stack still serves: two new people sign in, one follows their direct chat live over
 * graphql-ws, the other sends a message, and it arrives. Rejects with what failed.
 */
export async function checkStillServes(setup: SignInSetup, ipPrefix: string): Promise<void> {
  const sender = await signIn(setup, `fuzz-after-${randomUUID()}`, 'After', `${ipPrefix}.250`);
  const receiver = await signIn(setup, `fuzz-after-${randomUUID()}`, 'After', `${ipPrefix}.251`);
  const { startDirectChat: chat } = await graphql<{ startDirectChat: { id: string } }>(
    setup.gatewayUrl,
    'mutation ($u: ID!) { startDirectChat(userId: $u) { id } }',
    { u: receiver.userId },
    { token: sender.accessToken, ip: sender.ip },
  );
  const text = `still serving ${randomUUID()}`;
  const socket = new WebSocket(setup.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', {
    headers: { 'x-forwarded-for': receiver.ip },
  });
  try {
    const received = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the message did not arrive live in time')), RECEIVE_TIMEOUT_MS);
      socket.on('error', reject);
      socket.on('close', (code) => reject(new Error(`the socket closed (${code}) before the message arrived`)));
      socket.on('open', () =>
        socket.send(
          JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${receiver.accessToken}` } }),
        ),
      );
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as {
          type: string;
          payload?: { data?: { messageAdded?: { text?: string } } };
        };
        if (frame.type === 'connection_ack') {
          socket.send(
            JSON.stringify({
              type: 'subscribe',
              id: 'live',
              payload: {
                query: 'subscription ($c: ID) { messageAdded(chatId: $c) { id text sender { id } } }',
                variables: { c: chat.id },
              },
            }),
          );
          // The subscription is running once the gateway has read the frame; a short wait, then the send.
          setTimeout(() => {
            graphql(
              setup.gatewayUrl,
              'mutation ($i: SendMessageInput!) { sendMessage(input: $i) { id } }',
              { i: { chatId: chat.id, clientMessageId: randomUUID(), text } },
              { token: sender.accessToken, ip: sender.ip },
            ).catch(reject);
          }, 500);
        } else if (frame.type === 'next' && frame.payload?.data?.messageAdded?.text === text) {
          clearTimeout(timer);
          resolve();
        } else if (frame.type === 'error' || (frame.type === 'next' && !frame.payload?.data)) {
          reject(new Error(`the subscription failed: ${data.toString()}`));
        }
      });
    });
    await received;
  } finally {
    socket.removeAllListeners('close');
    socket.close();
  }
}

import { randomUUID } from 'node:crypto';
import { graphql } from './measure.ts';
import type { LetsTalkClient } from '@letstalk/sdk';

/** A real account (its name resolves in `sender { displayName }`) that sends in the live benchmarks. */
export interface Sender {
  client: LetsTalkClient;
  token: string;
  userId: string;
}

/** The live benchmarks' subscription: new messages of one chat, or of every chat of the subscriber. */
export const SUBSCRIPTION = (withChat: boolean) =>
  `subscription BenchLive${withChat ? '($chatId: ID!)' : ''} { messageAdded${withChat ? '(chatId: $chatId)' : ''} { id seq text createdAt sender { id displayName } } }`;

/** A message text's stamp of when it was sent, which the client processes read their latency from. */
export const stamp = (sentAt = performance.timeOrigin + performance.now()) => `bench@${sentAt.toFixed(3)}`;

/** Sends a message through the gateway. */
export const send = (gatewayUrl: string, token: string, chatId: string, text: string) =>
  graphql(gatewayUrl, token, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', {
    input: { chatId, clientMessageId: randomUUID(), text },
  });

/** A group of made-up members (the user subgraph does not know them, so only ids are asked for). */
export async function createGroup(
  gatewayUrl: string,
  owner: Sender,
  name: string,
  memberIds: string[],
): Promise<string> {
  const data = await graphql<{ createGroupChat: { id: string } }>(
    gatewayUrl,
    owner.token,
    'mutation($name: String!, $ids: [ID!]!) { createGroupChat(name: $name, memberIds: $ids) { id } }',
    { name, ids: memberIds },
  );
  return data.createGroupChat.id;
}

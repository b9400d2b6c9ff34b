import { randomUUID } from 'node:crypto';
import { SendMessageDocument, StartDirectChatDocument, type LetsTalkClient } from '@letstalk/sdk';
import { fixed, graphql, throughput } from './measure.ts';

/** The chat list a client shows: 20 chats, each with its last message, sender and unread count. */
const CHAT_LIST = (sender: string) =>
  `query BenchChatList { chats(first: 20) { edges { cursor node { id kind unreadCount lastActivityAt lastMessage { id text createdAt sender { ${sender} } } } } } }`;

export const CHAT_LIST_SECONDS = 8;
export const CHAT_LIST_CONNECTIONS = 10;

/**
 * Chat list through the gateway (sender names from the user subgraph) against the same query asked of
 * the message subgraph alone (sender ids only: names live elsewhere), alternating twice so that drift on
 * a shared machine hits both.
 */
export async function benchChatList(options: {
  gatewayUrl: string;
  messageUrl: string;
  viewer: { client: LetsTalkClient; token: string; userId: string };
  others: { client: LetsTalkClient }[];
}) {
  for (const other of options.others) {
    const { startDirectChat } = await other.client.request(StartDirectChatDocument, { userId: options.viewer.userId });
    await other.client.request(SendMessageDocument, {
      input: { chatId: startDirectChat.id, clientMessageId: randomUUID(), text: `Hello from the bench ${randomUUID()}` },
    });
  }
  const gatewayQuery = CHAT_LIST('id displayName');
  const subgraphQuery = CHAT_LIST('id');
  const check = await graphql<{ chats: { edges: { node: { lastMessage: { sender: { displayName: string } } } }[] } }>(
    options.gatewayUrl,
    options.viewer.token,
    gatewayQuery,
  );
  if (check.chats.edges.length !== 20 || !check.chats.edges[0]?.node.lastMessage.sender.displayName) {
    throw new Error('the chat list does not hold the 20 chats with named senders');
  }
  const headers = { authorization: `Bearer ${options.viewer.token}` };
  const run = (url: string, query: string) =>
    throughput({
      url,
      body: JSON.stringify({ query }),
      headers,
      connections: CHAT_LIST_CONNECTIONS,
      seconds: CHAT_LIST_SECONDS,
    });
  await run(options.gatewayUrl, gatewayQuery); // warm-up: query plans, JIT, connection pools
  const subgraph = [await run(options.messageUrl, subgraphQuery)];
  const gateway = [await run(options.gatewayUrl, gatewayQuery)];
  subgraph.push(await run(options.messageUrl, subgraphQuery));
  gateway.push(await run(options.gatewayUrl, gatewayQuery));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const subgraphRps = mean(subgraph.map((result) => result.rps));
  const gatewayRps = mean(gateway.map((result) => result.rps));
  const errors = [...subgraph, ...gateway].reduce((sum, result) => sum + result.errors, 0);
  const ratio = gatewayRps / subgraphRps;
  console.log('\nchat list: 20 chats, last message, sender, unread count');
  console.log(`  ${CHAT_LIST_CONNECTIONS} connections, 2 × ${CHAT_LIST_SECONDS} s each, alternating`);
  console.log(`  message subgraph alone (baseline) ${fixed(subgraphRps)} req/s  p99 ${fixed(Math.max(...subgraph.map((r) => r.p99Ms)))} ms`);
  console.log(`  through the gateway               ${fixed(gatewayRps)} req/s  p99 ${fixed(Math.max(...gateway.map((r) => r.p99Ms)))} ms`);
  console.log(`  gateway / subgraph = ${(ratio * 100).toFixed(0)} % (target ≥ 60 %), errors ${errors}`);
  return { subgraphRps, gatewayRps, ratio, errors };
}

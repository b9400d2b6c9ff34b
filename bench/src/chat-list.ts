import { randomUUID } from 'node:crypto';
import { SendMessageDocument, StartDirectChatDocument, type LetsTalkClient } from '@letstalk/sdk';
import { fixed, graphql, throughput } from './measure.ts';

/** The chat list a client shows: 20 chats, each with its last message, sender and unread count. */
const CHAT_LIST = (sender: string) =>
  `query BenchChatList { chats(first: 20) { edges { cursor node { id kind unreadCount lastActivityAt lastMessage { id text createdAt sender { ${sender} } } } } } }`;

const CHAT_LIST_SECONDS = 6;
const CHAT_LIST_ROUNDS = 3;
const CHAT_LIST_CONNECTIONS = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Chat list through the gateway (sender names from the user subgraph) against the same query asked of
 * the message subgraph alone (sender ids only: names live elsewhere). Both are warmed up first (the JIT
 * needs a few seconds), then measured in alternating rounds so that drift on a shared machine hits both;
 * the ratio is of the medians.
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
      input: {
        chatId: startDirectChat.id,
        clientMessageId: randomUUID(),
        text: `Hello from the bench ${randomUUID()}`,
      },
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
  // Warm-up: query plans, JIT, connection pools.
  await run(options.messageUrl, subgraphQuery);
  await run(options.gatewayUrl, gatewayQuery);
  const subgraph = [];
  const gateway = [];
  for (let round = 0; round < CHAT_LIST_ROUNDS; round += 1) {
    subgraph.push(await run(options.messageUrl, subgraphQuery));
    gateway.push(await run(options.gatewayUrl, gatewayQuery));
  }
  const subgraphRps = median(subgraph.map((result) => result.rps));
  const gatewayRps = median(gateway.map((result) => result.rps));
  const errors = [...subgraph, ...gateway].reduce((sum, result) => sum + result.errors, 0);
  const ratio = gatewayRps / subgraphRps;
  const rounds = (results: { rps: number }[]) => results.map((result) => result.rps.toFixed(0)).join(', ');
  console.log('\nchat list: 20 chats, last message, sender, unread count');
  console.log(
    `  ${CHAT_LIST_CONNECTIONS} connections, ${CHAT_LIST_ROUNDS} alternating rounds of ${CHAT_LIST_SECONDS} s after a warm-up; medians`,
  );
  console.log(
    `  message subgraph alone (baseline) ${fixed(subgraphRps)} req/s  p99 ${fixed(median(subgraph.map((r) => r.p99Ms)))} ms  (rounds: ${rounds(subgraph)})`,
  );
  console.log(
    `  through the gateway               ${fixed(gatewayRps)} req/s  p99 ${fixed(median(gateway.map((r) => r.p99Ms)))} ms  (rounds: ${rounds(gateway)})`,
  );
  console.log(`  gateway / subgraph = ${(ratio * 100).toFixed(0)} % (target ≥ 60 %), errors ${errors}`);
  return { subgraphRps, gatewayRps, ratio, errors };
}

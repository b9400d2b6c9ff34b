import { randomUUID } from 'node:crypto';
import { SendMessageDocument, StartDirectChatDocument, type LetsTalkClient } from '@letstalk/sdk';
import type { FakeWeb } from '@letstalk/testing';
import { fixed, graphql, throughput } from './measure.ts';

/** A page of history as a client shows it, with or without each message's link preview. */
const PAGE = (preview: string) =>
  `query BenchPreviews($chatId: ID!) { messages(chatId: $chatId, last: 50) { edges { node { id text createdAt sender { id displayName } ${preview} } } } }`;
const WITH_PREVIEWS = PAGE('linkPreview { status url title description siteName }');
const WITHOUT_PREVIEWS = PAGE('');

const PREVIEW_MESSAGES = 50;
const PREVIEW_SECONDS = 6;
const PREVIEW_ROUNDS = 3;
const PREVIEW_CONNECTIONS = 10;
/** How long the worker gets to fetch the 50 pages before the bench gives up. */
const SETTLE_MS = 60_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * What link previews cost a page of history: 50 messages, each with a link of its own whose preview is
 * READY, read through the gateway with `linkPreview` (one more subgraph fetch per page: the preview
 * subgraph answers the 50 from its cache in one query) against the same page without it, in alternating
 * rounds after a warm-up; the ratio is of the medians. Also times the worker: send → every preview READY.
 */
export async function benchPreviews(options: {
  gatewayUrl: string;
  previewUrl: string;
  viewer: { client: LetsTalkClient; token: string; userId: string };
  other: { client: LetsTalkClient };
  web: FakeWeb;
}) {
  const { startDirectChat: chat } = await options.other.client.request(StartDirectChatDocument, {
    userId: options.viewer.userId,
  });
  const started = Date.now();
  for (let index = 0; index < PREVIEW_MESSAGES; index += 1) {
    await options.other.client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), text: `Read this: ${options.web.page('/title-only')}` },
    });
  }
  type Page = { messages: { edges: { node: { linkPreview: { status: string } | null } }[] } };
  const ready = async () => {
    const page = await graphql<Page>(options.gatewayUrl, options.viewer.token, WITH_PREVIEWS, { chatId: chat.id });
    return page.messages.edges.filter((edge) => edge.node.linkPreview?.status === 'READY').length;
  };
  while ((await ready()) < PREVIEW_MESSAGES) {
    if (Date.now() - started > SETTLE_MS)
      throw new Error(`only ${await ready()} of ${PREVIEW_MESSAGES} previews READY after ${SETTLE_MS / 1000} s`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  const settleMs = Date.now() - started;

  // What the gateway asks the preview subgraph for that page: one `_entities` call with 50 representations.
  const links = await graphql<{ messages: { edges: { node: { id: string; text: string } }[] } }>(
    options.gatewayUrl,
    options.viewer.token,
    WITHOUT_PREVIEWS,
    { chatId: chat.id },
  );
  const representations = links.messages.edges.map((edge) => ({
    __typename: 'Message',
    id: edge.node.id,
    firstLink: edge.node.text.replace(/^Read this: /, ''),
  }));
  const entities = await throughput({
    url: options.previewUrl,
    body: JSON.stringify({
      query:
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { linkPreview { status url title description siteName } } } }',
      variables: { r: representations },
    }),
    headers: { authorization: `Bearer ${options.viewer.token}` },
    connections: PREVIEW_CONNECTIONS,
    seconds: PREVIEW_SECONDS,
  });
  console.log(
    `  preview subgraph alone, the page's 50 entities: ${fixed(entities.rps)} req/s p99 ${fixed(entities.p99Ms)} ms`,
  );

  const headers = { authorization: `Bearer ${options.viewer.token}` };
  const run = (query: string) =>
    throughput({
      url: options.gatewayUrl,
      body: JSON.stringify({ query, variables: { chatId: chat.id } }),
      headers,
      connections: PREVIEW_CONNECTIONS,
      seconds: PREVIEW_SECONDS,
    });
  await run(WITHOUT_PREVIEWS);
  await run(WITH_PREVIEWS);
  const without = [];
  const withPreviews = [];
  for (let round = 0; round < PREVIEW_ROUNDS; round += 1) {
    without.push(await run(WITHOUT_PREVIEWS));
    withPreviews.push(await run(WITH_PREVIEWS));
  }
  const withoutRps = median(without.map((result) => result.rps));
  const withRps = median(withPreviews.map((result) => result.rps));
  const errors = [...without, ...withPreviews].reduce((sum, result) => sum + result.errors, 0);
  const ratio = withRps / withoutRps;
  const rounds = (results: { rps: number }[]) => results.map((result) => result.rps.toFixed(0)).join(', ');
  console.log(`\nlink previews: a page of ${PREVIEW_MESSAGES} messages, each with its own link, READY`);
  console.log(
    `  sent one after another → all ${PREVIEW_MESSAGES} previews READY: ${(settleMs / 1000).toFixed(1)} s (fetched from a local site)`,
  );
  console.log(
    `  ${PREVIEW_CONNECTIONS} connections, ${PREVIEW_ROUNDS} alternating rounds of ${PREVIEW_SECONDS} s after a warm-up; medians`,
  );
  console.log(
    `  page without previews (baseline) ${fixed(withoutRps)} req/s  p99 ${fixed(median(without.map((r) => r.p99Ms)))} ms  (rounds: ${rounds(without)})`,
  );
  console.log(
    `  page with previews               ${fixed(withRps)} req/s  p99 ${fixed(median(withPreviews.map((r) => r.p99Ms)))} ms  (rounds: ${rounds(withPreviews)})`,
  );
  console.log(
    `  with / without = ${(ratio * 100).toFixed(0)} % (target ≥ 60 %, as for the chat list's user hop), errors ${errors}`,
  );
  return { withoutRps, withRps, ratio, settleMs, errors };
}

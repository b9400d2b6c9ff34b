import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { setMaxListeners } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { inheritedEnvironment, repoRoot } from '@letstalk/stack';
import type { FakeWeb, Minter } from '@letstalk/testing';
import { createGroup, send, type Sender } from './live-chats.ts';
import { fixed, graphql } from './measure.ts';
import { cpuSince, type StackProcess } from './process-cpu.ts';

/** The chat list a client shows: 20 chats, each with its last message, its sender and its link preview. */
const CHAT_LIST = (lastMessage: string) =>
  `query BenchPeerChatList { chats(first: 20) { edges { cursor node { id kind unreadCount lastActivityAt lastMessage { id text createdAt ${lastMessage} } } } } }`;
const GATEWAY_QUERY = CHAT_LIST('sender { id displayName } linkPreview { status url title description siteName }');
/** The message subgraph's part of it: what a gateway asks it for (sender ids, and the preview's `@requires`). */
const SUBGRAPH_QUERY = CHAT_LIST('sender { id } firstLink');

/** Members of the 20 groups, each a viewer (a group holds 256 with its owner). */
const VIEWERS = 250;
/** Sessions per viewer: 2,000 tokens, so no two requests in flight ever carry the same one. */
const TOKENS_PER_VIEWER = 8;
const PEER_SECONDS = 6;
const PEER_ROUNDS = 3;
const PEER_CONNECTIONS = 10;
/** How long the preview worker gets to fetch the 20 pages. */
const SETTLE_MS = 60_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

type ChatList = {
  chats: {
    edges: {
      cursor: string;
      node: { id: string; kind: string; unreadCount: number; lastActivityAt: string; lastMessage: LastMessage };
    }[];
  };
};
type LastMessage = {
  id: string;
  text: string;
  createdAt: string;
  sender: { id: string; displayName?: string };
  linkPreview?: { status: string } | null;
};

/**
 * Requests per second of one query under `PEER_CONNECTIONS` clients, each request with the next token of
 * `tokens` (one counter for every connection, so concurrent requests never share a token: a gateway that
 * merges identical requests in flight gets nothing to merge, as with real traffic). Tokens come round again
 * after 2,000 requests, as a client's token does until it expires.
 */
async function rotating(
  url: string,
  query: string,
  tokens: string[],
  cursor: { next: number },
  processes: StackProcess[],
) {
  const used = cpuSince(processes);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ query })),
    connections: PEER_CONNECTIONS,
    duration: PEER_SECONDS,
    requests: [
      {
        setupRequest: (request) => {
          request.headers = { ...request.headers, authorization: `Bearer ${tokens[cursor.next++ % tokens.length]}` };
          return request;
        },
      },
    ],
  });
  const perRequest = (ms: number) => ms / Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuMs: new Map([...used()].map(([name, ms]) => [name, perRequest(ms)])),
  };
}

/** The composed supergraph, its subgraph URLs replaced by the running stack's (as our gateway's USER_URL etc. do). */
async function supergraphFor(subgraphUrls: Record<string, string>) {
  let sdl = await readFile(join(repoRoot, 'schema/supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`);
    if (!pattern.test(sdl)) throw new Error(`schema/supergraph.graphql has no subgraph "${name}"`);
    sdl = sdl.replace(pattern, `$1"${url}"`);
  }
  return sdl;
}

/**
 * Hive Gateway in a process of its own, as ours runs in its own: this file forked with Node's arguments
 * (tsx) and NODE_ENV=production, which answers the supergraph with its port on 127.0.0.1. Its runtime
 * (`createGatewayRuntime` behind a node:http server) rather than its CLI: the CLI needs a config file for
 * the header propagation, binds 0.0.0.0 and polls its supergraph file by default.
 */
async function startHive(supergraphSdl: string) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: process.execArgv,
    env: { ...inheritedEnvironment(), NODE_ENV: 'production' },
  });
  const listening = await new Promise<{ port: number; version: string }>((resolve, reject) => {
    child.once('message', (message: { port: number; version: string }) => resolve(message));
    child.once('exit', (code) => reject(new Error(`Hive Gateway's process exited with ${code}`)));
    child.send({ supergraphSdl });
  });
  return { child, url: `http://127.0.0.1:${listening.port}/graphql`, version: listening.version };
}

async function stopHive(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  await exited;
}

/** The child: Hive Gateway configured to do what ours does per request, and nothing ours does not. */
async function serveHive(supergraphSdl: string) {
  // Hive hangs every subgraph fetch in flight on one AbortSignal: past 10 at once Node warns of a leak.
  setMaxListeners(1_000);
  const { createGatewayRuntime } = await import('@graphql-hive/gateway');
  const gateway = createGatewayRuntime({
    // The SDL itself: a static supergraph, never polled (ours reads schema/supergraph.graphql once too).
    supergraph: supergraphSdl,
    // Each subgraph verifies the caller's token itself (packages/server: baseContext), so the client's
    // Authorization goes to every subgraph, as gateway/src/data-source.ts sends it. x-request-id goes too:
    // Hive's request-id plugin (on by default) makes one and forwards it, as ours does. Ours also sends
    // x-letstalk-client-ip; without it a subgraph takes the socket's address, 127.0.0.1 here as well, and
    // passing on a header a client could set itself would be wrong.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
    // No pages: ours serves none in production. Response caching, persisted documents, usage reporting,
    // retries and inbound de-duplication are off unless configured (the upstream de-duplication of
    // identical subgraph fetches stays on, its default: the distinct tokens leave it nothing to merge).
    landingPage: false,
    graphiql: false,
    // As the stack runs (LOG_LEVEL=warn).
    logging: 'warn',
  });
  const server = createServer(gateway.requestListener);
  server.listen(0, '127.0.0.1', () => {
    const { version } = createRequire(import.meta.url)('@graphql-hive/gateway/package.json') as { version: string };
    process.send?.({ port: (server.address() as AddressInfo).port, version });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // A bench that failed leaves no gateway behind: the parent's channel closing ends this process.
  process.on('disconnect', () => process.exit(0));
  process.once('message', (message: { supergraphSdl: string }) => void serveHive(message.supergraphSdl));
}

/** JSON with every object's keys in order, so two answers compare whatever order their fields came in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, each: unknown) =>
    each && typeof each === 'object' && !Array.isArray(each)
      ? Object.fromEntries(Object.entries(each).sort(([a], [b]) => a.localeCompare(b)))
      : each,
  );

/** The chat list's fields both gateways and the message subgraph answer, to compare the three. */
const shared = (list: ChatList) =>
  canonical(
    list.chats.edges.map(({ cursor, node: { lastMessage, ...chat } }) => ({
      cursor,
      ...chat,
      lastMessage: { id: lastMessage.id, text: lastMessage.text, createdAt: lastMessage.createdAt },
      sender: lastMessage.sender.id,
    })),
  );

/** Prints each target's medians, and the CPU each process spent per request, beside each other. */
function report(targets: { name: string; results: Awaited<ReturnType<typeof rotating>>[] }[], tokens: number) {
  console.log('\ngateway peer: chat list (20 chats, last message, sender, link preview), ours beside Hive Gateway');
  console.log(
    `  ${PEER_CONNECTIONS} connections, each request with its own token (${tokens} of ${VIEWERS} members), ${PEER_ROUNDS} alternating rounds of ${PEER_SECONDS} s after a warm-up; medians`,
  );
  const rps = targets.map(({ results }) => median(results.map((result) => result.rps)));
  for (const [index, { name, results }] of targets.entries()) {
    const rounds = results.map((result) => result.rps.toFixed(0)).join(', ');
    const p99 = median(results.map((result) => result.p99Ms));
    console.log(`  ${name.padEnd(34)} ${fixed(rps[index]!)} req/s  p99 ${fixed(p99)} ms  (rounds: ${rounds})`);
    // CPU per request by process (idle not taken off: below ~0.1 ms it is the idle rate's noise).
    const cpu = [...results[0]!.cpuMs.keys()]
      .map((process) => [process, median(results.map((result) => result.cpuMs.get(process)!))] as const)
      .filter(([, ms]) => ms >= 0.1)
      .sort(([, a], [, b]) => b - a);
    const total = cpu.reduce((sum, [, ms]) => sum + ms, 0);
    console.log(
      `  ${''.padEnd(34)} CPU ms per request: ${cpu.map(([process, ms]) => `${process} ${ms.toFixed(2)}`).join(', ')} (${total.toFixed(2)})`,
    );
  }
  const [subgraphRps, oursRps, hiveRps] = rps as [number, number, number];
  const errors = targets.flatMap(({ results }) => results).reduce((sum, result) => sum + result.errors, 0);
  // The gateways' own CPU per request: what req/s would show if they did not share the cores with the rest.
  const cpuOf = (target: number, process: string) => median(targets[target]!.results.map((r) => r.cpuMs.get(process)!));
  const cpuRatio = cpuOf(2, 'hive') / cpuOf(1, 'gateway');
  console.log(
    `  ours / Hive = ${(oursRps / hiveRps).toFixed(2)}× (target ≥ 2×), its process's CPU per request / ours = ${cpuRatio.toFixed(2)}×; ours / message subgraph alone = ${((oursRps / subgraphRps) * 100).toFixed(0)} % (target ≥ 70 %); errors ${errors}`,
  );
  return { subgraphRps, oursRps, hiveRps, errors };
}

/**
 * Our gateway against Hive Gateway on the same supergraph and the same subgraphs, and against the message
 * subgraph (the heaviest of the three the query reaches) answering its part alone: the chat list of 20
 * groups, each with its last message, its sender's name (user subgraph) and its link preview (preview
 * subgraph), read by 250 members with 8 sessions each, every request with a token of its own. Warm-up,
 * then alternating rounds so that drift on a shared machine hits all three; the ratios are of the medians.
 */
export async function benchGatewayPeer(options: {
  gatewayUrl: string;
  subgraphUrls: { user: string; message: string; media: string; preview: string };
  owners: Sender[];
  mint: Minter;
  tokenFor: (userId: string) => Promise<string>;
  web: FakeWeb;
  /** The stack's processes (process-cpu.ts), for the CPU each spends per request. */
  processes: StackProcess[];
}) {
  const hive = await startHive(await supergraphFor(options.subgraphUrls));
  try {
    const viewers = await options.mint(VIEWERS, true);
    for (const [index, owner] of options.owners.entries()) {
      const ids = viewers.map((viewer) => viewer.userId);
      const chatId = await createGroup(options.gatewayUrl, owner, `Peer bench ${index + 1}`, ids);
      await send(options.gatewayUrl, owner.token, chatId, `Read this: ${options.web.page('/title-only')}`);
    }
    const token = viewers[0]!.token;
    const started = Date.now();
    const list = () => graphql<ChatList>(options.gatewayUrl, token, GATEWAY_QUERY);
    const ready = (chats: ChatList) =>
      chats.chats.edges.filter((edge) => edge.node.lastMessage.linkPreview?.status === 'READY').length;
    let ours = await list();
    while (ready(ours) < options.owners.length) {
      if (Date.now() - started > SETTLE_MS) throw new Error(`only ${ready(ours)} link previews READY after 60 s`);
      await new Promise((wait) => setTimeout(wait, 100));
      ours = await list();
    }
    if (ours.chats.edges.length !== 20 || ours.chats.edges.some((edge) => !edge.node.lastMessage.sender.displayName))
      throw new Error('the chat list does not hold the 20 chats with named senders');

    // The three answer the same data; Hive's would not if the token did not reach the subgraphs.
    const theirs = await graphql<ChatList>(hive.url, token, GATEWAY_QUERY).catch((error: unknown) => {
      throw new Error(`Hive Gateway failed (does Authorization reach the subgraphs?): ${(error as Error).message}`);
    });
    if (canonical(theirs) !== canonical(ours))
      throw new Error(`Hive Gateway answers otherwise:\n${canonical(theirs)}\nours:\n${canonical(ours)}`);
    const alone = await graphql<ChatList>(options.subgraphUrls.message, token, SUBGRAPH_QUERY);
    if (shared(alone) !== shared(ours)) throw new Error('the message subgraph answers another chat list');

    // One session per token, signed as the user subgraph would.
    const tokens = viewers.map((viewer) => viewer.token);
    for (const viewer of viewers) {
      for (let more = 1; more < TOKENS_PER_VIEWER; more += 1) tokens.push(await options.tokenFor(viewer.userId));
    }
    // Every process that verifies tokens sees each once before the clock starts, as at a client's first
    // request, and then finds it in its cache; else the rounds would time first verifications (WebCrypto's
    // ECDSA), which only our gateway does of the two: Hive passes the token on unread.
    const { gatewayUrl, subgraphUrls } = options;
    const verifiers = [gatewayUrl, subgraphUrls.user, subgraphUrls.message, subgraphUrls.preview];
    for (let from = 0; from < tokens.length; from += 50) {
      const batch = tokens.slice(from, from + 50);
      await Promise.all(batch.flatMap((each) => verifiers.map((url) => graphql(url, each, '{ __typename }'))));
    }
    const processes = [...options.processes, { name: 'hive', pid: hive.child.pid! }];
    const cursor = { next: 0 };
    const targets = [
      { name: 'message subgraph alone (its part)', url: options.subgraphUrls.message, query: SUBGRAPH_QUERY },
      { name: 'our gateway', url: options.gatewayUrl, query: GATEWAY_QUERY },
      { name: `Hive Gateway ${hive.version}`, url: hive.url, query: GATEWAY_QUERY },
    ];
    const run = (target: (typeof targets)[number]) => rotating(target.url, target.query, tokens, cursor, processes);
    // Warm-up: query plans, JIT, connection pools.
    for (const target of targets) await run(target);
    const results = targets.map(() => [] as Awaited<ReturnType<typeof rotating>>[]);
    for (let round = 0; round < PEER_ROUNDS; round += 1) {
      for (const [index, target] of targets.entries()) results[index]!.push(await run(target));
    }
    return report(
      targets.map((target, index) => ({ name: target.name, results: results[index]! })),
      tokens.length,
    );
  } finally {
    await stopHive(hive.child);
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import { issueAccessToken, loadSigningKey } from '@letstalk/auth';
import type { LetsTalkClient } from '@letstalk/sdk';
import { announceUser } from '@letstalk/testing';
import type { ClientCommand, ClientReply } from './live-clients.ts';
import { fixed, graphql } from './measure.ts';

/** Connections of one benchmark client process (each socket is a file; a process may hold 20,000 here). */
const CLIENTS_PER_PROCESS = 2_500;
/** The gateway allows this many connections per user (MAX_CONNECTIONS_PER_USER). */
const CONNECTIONS_PER_USER = 20;

export const FAN_OUT_SUBSCRIBERS = 5_000;
export const FAN_OUT_MESSAGES = 20;
/** Gateway and baseline rounds, alternated; the figures are their medians. */
export const FAN_OUT_ROUNDS = 3;
export const LATENCY_SUBSCRIBERS = 2_000;
export const LATENCY_MESSAGES_PER_SECOND = 200;
export const LATENCY_SECONDS = 30;
export const LATENCY_GROUP_SIZE = 10;
/** How long the capacity phase sends back to back. */
export const LATENCY_CAPACITY_SECONDS = 5;
/** The second latency phase offers this share of the measured capacity. */
export const LATENCY_SUSTAINABLE_SHARE = 0.5;
export const IDLE_CONNECTIONS = 20_000;

const SUBSCRIPTION = (withChat: boolean) =>
  `subscription BenchLive${withChat ? '($chatId: ID!)' : ''} { messageAdded${withChat ? '(chatId: $chatId)' : ''} { id seq text createdAt sender { id displayName } } }`;

export interface Sender {
  client: LetsTalkClient;
  token: string;
  userId: string;
}

/** Access tokens for made-up accounts, signed with the stack's key, and announced so chats accept them. */
export async function mintedUsers(options: { privateKeyPem: string; nc: NatsConnection }) {
  const key = await loadSigningKey({ pem: options.privateKeyPem });
  return async (count: number, announce: boolean) => {
    const users = await Promise.all(
      Array.from({ length: count }, async () => {
        const userId = randomUUID();
        if (announce) await announceUser(options.nc, userId);
        const { token } = await issueAccessToken(
          key,
          { issuer: 'letstalk', audience: 'letstalk' },
          { userId, sessionId: randomUUID() },
        );
        return { userId, token };
      }),
    );
    return users;
  };
}

type Minter = Awaited<ReturnType<typeof mintedUsers>>;

/** A benchmark client process, driven over IPC. */
class Clients {
  private readonly child: ChildProcess;
  private readonly replies: ((reply: ClientReply) => void)[] = [];

  constructor() {
    this.child = fork(fileURLToPath(new URL('./live-clients.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
    this.child.on('message', (reply: ClientReply) => this.replies.shift()?.(reply));
  }

  ask<Reply extends ClientReply>(command: ClientCommand): Promise<Reply> {
    return new Promise((resolve) => {
      this.replies.push(resolve as (reply: ClientReply) => void);
      this.child.send(command);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'close' } satisfies ClientCommand);
    });
  }
}

/** Spreads connections over client processes and opens them all. */
async function connectAll(
  command: Omit<Extract<ClientCommand, { type: 'connect' }>, 'tokens' | 'type'>,
  tokens: string[],
) {
  const processes: Clients[] = [];
  for (let start = 0; start < tokens.length; start += CLIENTS_PER_PROCESS) processes.push(new Clients());
  const replies = await Promise.all(
    processes.map((clients, index) =>
      clients.ask<Extract<ClientReply, { type: 'connected' }>>({
        ...command,
        type: 'connect',
        tokens: tokens.slice(index * CLIENTS_PER_PROCESS, (index + 1) * CLIENTS_PER_PROCESS),
      }),
    ),
  );
  const failures = replies.reduce((sum, reply) => sum + reply.failures, 0);
  if (failures > 0) throw new Error(`${failures} of ${tokens.length} connections failed`);
  const stats = async (reset: boolean) => {
    const all = await Promise.all(
      processes.map((clients) => clients.ask<Extract<ClientReply, { type: 'stats' }>>({ type: 'stats', reset })),
    );
    return {
      deliveries: all.reduce((sum, each) => sum + each.deliveries, 0),
      latenciesMs: all.flatMap((each) => each.latenciesMs),
      sample: all.find((each) => each.sample)?.sample ?? null,
      closed: all.reduce((sum, each) => sum + each.closed, 0),
    };
  };
  return {
    stats,
    /** Resolves when `count` deliveries have arrived since the last reset; fails after `timeoutMs`. */
    async until(count: number, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await stats(false);
        if (current.deliveries >= count) return current;
        if (Date.now() > deadline)
          throw new Error(
            `only ${current.deliveries} of ${count} deliveries arrived (${current.closed} sockets closed)`,
          );
        await new Promise((wait) => setTimeout(wait, 50));
      }
    },
    close: () => Promise.all(processes.map((clients) => clients.close())),
  };
}

const bench = (sentAt = performance.timeOrigin + performance.now()) => `bench@${sentAt.toFixed(3)}`;

const send = (gatewayUrl: string, token: string, chatId: string, text: string) =>
  graphql(gatewayUrl, token, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', {
    input: { chatId, clientMessageId: randomUUID(), text },
  });

/** A group of made-up members (the user subgraph does not know them, so only ids are asked for). */
async function createGroup(gatewayUrl: string, owner: Sender, name: string, memberIds: string[]): Promise<string> {
  const data = await graphql<{ createGroupChat: { id: string } }>(
    gatewayUrl,
    owner.token,
    'mutation($name: String!, $ids: [ID!]!) { createGroupChat(name: $name, memberIds: $ids) { id } }',
    { name, ids: memberIds },
  );
  return data.createGroupChat.id;
}

/**
 * Fan-out: 5,000 graphql-ws subscribers of one chat (250 members, 20 connections each) on one gateway
 * process, 20 messages sent at once; deliveries per second from the first send to the last delivery, beside
 * a plain `ws` broadcast of the very bytes the gateway sent, from one process, to as many sockets. Rounds of
 * the two alternate; the medians are compared.
 */
export async function benchFanOut(options: { gatewayUrl: string; senders: Sender[]; mint: Minter }) {
  const [owner, ...others] = options.senders.slice(0, FAN_OUT_ROUNDS) as [Sender, ...Sender[]];
  const members = await options.mint(FAN_OUT_SUBSCRIBERS / CONNECTIONS_PER_USER - 1, true);
  const memberIds = [...members.map((member) => member.userId), ...others.map((other) => other.userId)];
  const group = { id: await createGroup(options.gatewayUrl, owner, 'Fan-out bench', memberIds) };
  const tokens = [owner.token, ...members.map((member) => member.token)].flatMap((token) =>
    Array.from({ length: CONNECTIONS_PER_USER }, () => token),
  );
  const wsUrl = options.gatewayUrl.replace(/^http/, 'ws');
  const total = FAN_OUT_SUBSCRIBERS * FAN_OUT_MESSAGES;

  const live = await connectAll(
    { url: wsUrl, protocol: 'graphql-ws', subscribe: { query: SUBSCRIPTION(true), variables: { chatId: group.id } } },
    tokens,
  );
  // Every subscriber hears a first message before the clock starts (subscriptions started, JIT warm).
  await new Promise((wait) => setTimeout(wait, 1_000));
  await send(options.gatewayUrl, owner.token, group.id, `warm-up ${bench()}`);
  const warm = await live.until(FAN_OUT_SUBSCRIBERS, 60_000);
  const sampleBytes = warm.sample ?? '';

  const broadcaster = fork(fileURLToPath(new URL('./ws-broadcast.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) =>
    broadcaster.once('message', (message: { port: number }) => resolve(message.port)),
  );
  const raw = await connectAll({ url: `ws://127.0.0.1:${port}`, protocol: 'raw' }, tokens);
  const broadcast = (times: number) =>
    new Promise<void>((resolve) => {
      broadcaster.once('message', () => resolve());
      broadcaster.send({ type: 'broadcast', bytes: sampleBytes, times });
    });
  await broadcast(1);
  await raw.until(FAN_OUT_SUBSCRIBERS, 60_000);

  // Rounds alternate between the two, so a burst of load from the machine's other tenants hits both.
  const rounds: { gateway: number; raw: number }[] = [];
  for (let round = 0; round < FAN_OUT_ROUNDS; round += 1) {
    // Each round's messages come from another person, within the per-person send limit (senders are
    // real accounts, so `sender { displayName }` resolves).
    const sender = options.senders[round]!.token;
    await live.stats(true);
    const started = performance.now();
    // The messages go out back to back, as the baseline's do: the figure is the gateway's fan-out, not
    // the round trip of one send (the latency benchmark measures that).
    await Promise.all(
      Array.from({ length: FAN_OUT_MESSAGES }, (_, index) =>
        send(options.gatewayUrl, sender, group.id, `fan-out ${index} ${bench()}`),
      ),
    );
    await live.until(total, 120_000);
    const gateway = total / ((performance.now() - started) / 1000);
    await raw.stats(true);
    const rawStarted = performance.now();
    await broadcast(FAN_OUT_MESSAGES);
    await raw.until(total, 120_000);
    rounds.push({ gateway, raw: total / ((performance.now() - rawStarted) / 1000) });
  }
  await Promise.all([live.close(), raw.close()]);
  broadcaster.send({ type: 'close' });

  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const gatewayRate = median(rounds.map((round) => round.gateway));
  const rawRate = median(rounds.map((round) => round.raw));
  const ratio = gatewayRate / rawRate;
  const list = (values: number[]) => values.map((value) => fixed(value, 0)).join(', ');
  console.log(
    `\nfan-out: ${FAN_OUT_SUBSCRIBERS.toLocaleString('en')} subscribers of one chat on one gateway process, ${FAN_OUT_MESSAGES} messages (${sampleBytes.length} bytes each) per round, ${FAN_OUT_ROUNDS} rounds`,
  );
  console.log(
    `  raw ws broadcast of the same bytes (baseline) median ${fixed(rawRate, 0)} deliveries/s (${list(rounds.map((round) => round.raw))})`,
  );
  console.log(
    `  through the gateway (sent over HTTP)          median ${fixed(gatewayRate, 0)} deliveries/s (${list(rounds.map((round) => round.gateway))})`,
  );
  console.log(`  gateway / raw = ${(ratio * 100).toFixed(0)} % (target ≥ 50 %)`);
  return { gatewayRate, rawRate, ratio };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * Latency: 2,000 subscribers (one per person, following all their chats) in 200 groups of 10 plus the
 * group's sender; 50 senders send 200 messages per second between them for 30 s through the gateway.
 * Each message carries its send time; the figure is send → receive at every subscriber.
 */
export async function benchLatency(options: { gatewayUrl: string; senders: Sender[]; mint: Minter }) {
  const groups = LATENCY_SUBSCRIBERS / LATENCY_GROUP_SIZE;
  const subscribers = await options.mint(LATENCY_SUBSCRIBERS, true);
  const chats: { chatId: string; sender: Sender }[] = [];
  for (let index = 0; index < groups; index += 1) {
    const sender = options.senders[index % options.senders.length]!;
    const members = subscribers.slice(index * LATENCY_GROUP_SIZE, (index + 1) * LATENCY_GROUP_SIZE);
    const chatId = await createGroup(
      options.gatewayUrl,
      sender,
      `Latency bench ${index}`,
      members.map((member) => member.userId),
    );
    chats.push({ chatId, sender });
  }
  const live = await connectAll(
    {
      url: options.gatewayUrl.replace(/^http/, 'ws'),
      protocol: 'graphql-ws',
      subscribe: { query: SUBSCRIPTION(false), variables: {} },
    },
    subscribers.map((subscriber) => subscriber.token),
  );
  await new Promise((wait) => setTimeout(wait, 1_000));
  await Promise.all(
    chats.map((chat) => send(options.gatewayUrl, chat.sender.token, chat.chatId, `warm-up ${bench()}`)),
  );
  await live.until(LATENCY_SUBSCRIBERS, 60_000);
  await live.stats(true);

  // Capacity: every sender sends back to back; the rate the whole stack sustains on this machine, with
  // these subscribers listening.
  const capacityStarted = performance.now();
  let capacitySends = 0;
  await Promise.all(
    options.senders.map(async (sender) => {
      const own = chats.filter((chat) => chat.sender === sender);
      for (let index = 0; performance.now() - capacityStarted < LATENCY_CAPACITY_SECONDS * 1000; index += 1) {
        const chat = own[index % own.length]!;
        await send(options.gatewayUrl, sender.token, chat.chatId, `capacity ${bench()}`);
        capacitySends += 1;
      }
    }),
  );
  const capacity = capacitySends / ((performance.now() - capacityStarted) / 1000);
  await live.until(capacitySends * LATENCY_GROUP_SIZE, 120_000);
  await live.stats(true);

  /** Sends at `rate` for LATENCY_SECONDS, spread over the chats, and measures send → receive. */
  const measureAt = async (rate: number) => {
    // The senders' rate-limit windows of the previous phase pass first.
    await new Promise((wait) => setTimeout(wait, 10_000));
    const count = Math.round(rate * LATENCY_SECONDS);
    const interval = 1000 / rate;
    const started = performance.now();
    const sends: Promise<void>[] = [];
    const sendMs: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const due = started + index * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resume) => setTimeout(resume, wait));
      const chat = chats[index % chats.length]!;
      const sentAt = performance.now();
      sends.push(
        send(options.gatewayUrl, chat.sender.token, chat.chatId, `latency ${index} ${bench()}`).then(() => {
          sendMs.push(performance.now() - sentAt);
        }),
      );
    }
    await Promise.all(sends);
    const sendSeconds = (performance.now() - started) / 1000;
    const result = await live.until(count * LATENCY_GROUP_SIZE, 120_000);
    await live.stats(true);
    const sorted = [...result.latenciesMs].sort((x, y) => x - y);
    const sendSorted = sendMs.sort((x, y) => x - y);
    console.log(
      `  ${count} messages over ${sendSeconds.toFixed(1)} s (${(count / sendSeconds).toFixed(0)}/s offered ${rate.toFixed(0)}/s), ${result.deliveries.toLocaleString('en')} deliveries`,
    );
    console.log(
      `    the send mutation alone (baseline) p50 ${fixed(quantile(sendSorted, 0.5))} ms  p99 ${fixed(quantile(sendSorted, 0.99))} ms`,
    );
    console.log(
      `    send → receive                     p50 ${fixed(quantile(sorted, 0.5))} ms  p99 ${fixed(quantile(sorted, 0.99))} ms  max ${fixed(sorted.at(-1) ?? NaN)} ms`,
    );
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  };

  console.log(
    `\nlatency: ${LATENCY_SUBSCRIBERS.toLocaleString('en')} subscribers in ${groups} groups of ${LATENCY_GROUP_SIZE}, ${options.senders.length} senders, ${LATENCY_SECONDS} s per rate`,
  );
  console.log(
    `  capacity: the stack sustains ${fixed(capacity, 0)} sends/s here (every sender back to back for ${LATENCY_CAPACITY_SECONDS} s)`,
  );
  console.log(`  at the target rate (target p99 ≤ 50 ms):`);
  const target = await measureAt(LATENCY_MESSAGES_PER_SECOND);
  const sustainableRate = Math.max(1, Math.floor(capacity * LATENCY_SUSTAINABLE_SHARE));
  console.log(`  at ${LATENCY_SUSTAINABLE_SHARE * 100} % of this machine's capacity:`);
  const sustainable = await measureAt(sustainableRate);
  await live.close();
  return { capacity, target, sustainable, sustainableRate };
}

/** Resident memory of a process, from /proc (Linux). */
const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

/** Open files a process may hold here (`ulimit -Hn`): the idle-connection count cannot exceed it. */
function fileLimit(): number {
  return Number(execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()) || Infinity;
}

/**
 * Memory: idle, authenticated graphql-ws connections on one gateway process (a fresh one), as the growth
 * of its resident memory divided by the connections; each connection is a distinct person.
 */
export async function benchIdleMemory(options: { gatewayUrl: string; gatewayPid: number; mint: Minter }) {
  const connections = Math.min(IDLE_CONNECTIONS, fileLimit() - 500);
  const users = await options.mint(connections, false);
  await new Promise((wait) => setTimeout(wait, 2_000));
  const before = rssBytes(options.gatewayPid);
  const idle = await connectAll(
    { url: options.gatewayUrl.replace(/^http/, 'ws'), protocol: 'graphql-ws' },
    users.map((user) => user.token),
  );
  await new Promise((wait) => setTimeout(wait, 5_000));
  const after = rssBytes(options.gatewayPid);
  const { closed } = await idle.stats(false);
  await idle.close();
  const perConnection = (after - before) / connections;
  console.log(
    `\nmemory: ${connections.toLocaleString('en')} idle authenticated graphql-ws connections on one gateway process${connections < IDLE_CONNECTIONS ? ` (this machine allows ${fileLimit()} open files per process)` : ''}`,
  );
  console.log(
    `  gateway resident memory ${fixed(before / 2 ** 20, 0)} MB → ${fixed(after / 2 ** 20, 0)} MB: ${fixed(perConnection / 1024)} KB per connection (target ≤ 50 KB); ${closed} closed`,
  );
  return { perConnection };
}

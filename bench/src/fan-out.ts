import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Minter } from '@letstalk/testing';
import { connectAll } from './connect-all.ts';
import { createGroup, send, stamp, SUBSCRIPTION, type Sender } from './live-chats.ts';
import { fixed } from './measure.ts';

/** The gateway allows this many connections per user (MAX_CONNECTIONS_PER_USER). */
const CONNECTIONS_PER_USER = 20;

const FAN_OUT_SUBSCRIBERS = 5_000;
const FAN_OUT_MESSAGES = 20;
/** Gateway and baseline rounds, alternated; the figures are their medians. */
const FAN_OUT_ROUNDS = 3;

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
  await send(options.gatewayUrl, owner.token, group.id, `warm-up ${stamp()}`);
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
        send(options.gatewayUrl, sender, group.id, `fan-out ${index} ${stamp()}`),
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

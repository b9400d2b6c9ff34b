import type { Minter } from '@letstalk/testing';
import { connectAll } from './connect-all.ts';
import { createGroup, send, stamp, SUBSCRIPTION, type Sender } from './live-chats.ts';
import { fixed } from './measure.ts';

const LATENCY_SUBSCRIBERS = 2_000;
const LATENCY_MESSAGES_PER_SECOND = 200;
const LATENCY_SECONDS = 30;
const LATENCY_GROUP_SIZE = 10;
/** How long the capacity phase sends back to back. */
const LATENCY_CAPACITY_SECONDS = 5;
/** The second latency phase offers this share of the measured capacity. */
const LATENCY_SUSTAINABLE_SHARE = 0.5;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * Latency: 2,000 subscribers (one per person, following all their chats) in 200 groups of 10 plus the
 * group's sender; 50 senders send 200 messages per second between them for 30 s through the gateway.
 * Each message carries its send time; the figure is send → receive at every subscriber.
 */
export async function benchLatency(options: {
  gatewayUrl: string;
  senders: Sender[];
  mint: Minter;
  /** Skips the phase at the target rate (sizing wants the capacity and the rate below it only). */
  capacityOnly?: boolean;
}) {
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
    chats.map((chat) => send(options.gatewayUrl, chat.sender.token, chat.chatId, `warm-up ${stamp()}`)),
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
        await send(options.gatewayUrl, sender.token, chat.chatId, `capacity ${stamp()}`);
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
    let failure: unknown;
    for (let index = 0; index < count; index += 1) {
      const due = started + index * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resume) => setTimeout(resume, wait));
      const chat = chats[index % chats.length]!;
      const sentAt = performance.now();
      // A failed send is kept and thrown once all are settled: rejected before they are awaited, it would end the
      // process unhandled, leaving the stacks running.
      sends.push(
        send(options.gatewayUrl, chat.sender.token, chat.chatId, `latency ${index} ${stamp()}`).then(
          () => void sendMs.push(performance.now() - sentAt),
          (error: unknown) => void (failure ??= error),
        ),
      );
    }
    await Promise.all(sends);
    if (failure !== undefined) throw new Error('a send failed', { cause: failure });
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
  if (!options.capacityOnly) console.log(`  at the target rate (target p99 ≤ 50 ms):`);
  const target = options.capacityOnly ? undefined : await measureAt(LATENCY_MESSAGES_PER_SECOND);
  const sustainableRate = Math.max(1, Math.floor(capacity * LATENCY_SUSTAINABLE_SHARE));
  console.log(`  at ${LATENCY_SUSTAINABLE_SHARE * 100} % of this machine's capacity:`);
  const sustainable = await measureAt(sustainableRate);
  await live.close();
  return { capacity, target, sustainable, sustainableRate };
}

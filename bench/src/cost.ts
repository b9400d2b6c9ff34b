import { randomUUID } from 'node:crypto';
import { UploadImageDocument } from '@letstalk/sdk';
import { noiseJpeg, type FakeWeb, type Minter } from '@letstalk/testing';
import { connectAll } from './connect-all.ts';
import { createGroup, send, stamp, SUBSCRIPTION, type Sender } from './live-chats.ts';
import { fixed, graphql } from './measure.ts';
import { cpuSince, type StackProcess } from './process-cpu.ts';

/** Messages each case sends, spread over its senders at COST_MESSAGES_PER_SECOND. */
const COST_MESSAGES = 400;
const COST_MESSAGES_PER_SECOND = 40;
/**
 * Case (a) again at this rate, in a group of 21 people who all send (each under the send limit of
 * SENDS_PER_USER_PER_10_SECONDS): what a message costs when the stack is busier.
 */
const COST_BUSY_MESSAGES_PER_SECOND = 90;
/**
 * Operations of each case run before any is measured, at the case's rate: V8 optimizes a path only after
 * it has run many times, and a path measured cold costs up to three times its steady state (a `me` query:
 * 8.7 ms cold, 3.1 ms warm, 2026-11-30).
 */
const COST_WARM_UP = 200;
/** Image messages (each an upload first; uploads are limited per person per minute). */
const COST_IMAGE_MESSAGES = 40;
const COST_IMAGES_PER_SECOND = 4;
/** Members of the group besides its senders: 11 make the issue's 21-member group with 10 senders. */
const COST_GROUP_OTHERS = 11;
const COST_WIDE_SUBSCRIBERS = 200;
/** After the last delivery, the window stays open this long for the workers' share (previews, images). */
const COST_SETTLE_MS = 3_000;
/**
 * Idle windows before the cases: each process's lowest rate over them (timers, heartbeats; a window with a
 * garbage collection in it would take off more than idle) is taken off every case.
 */
const COST_IDLE_WINDOWS = 4;
const COST_IDLE_WINDOW_MS = 2_000;

type Usage = Map<string, number>;

/** What one case cost: CPU ms per message (per operation for the baseline), by process, idle taken off. */
interface CaseCost {
  name: string;
  perMessage: Usage;
  total: number;
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/**
 * Sends `count` tasks at `rate` per second (each task chooses its sender by index) and waits for them all.
 */
async function paced(count: number, rate: number, task: (index: number) => Promise<unknown>) {
  const started = performance.now();
  const running: Promise<unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    running.push(task(index));
  }
  await Promise.all(running);
}

/**
 * The CPU one case cost: the usage of every process from the first send until COST_SETTLE_MS after `done`
 * resolves, less the idle rate over as long, divided by `count`.
 */
async function measure(
  name: string,
  processes: StackProcess[],
  idlePerMs: Usage,
  count: number,
  run: () => Promise<unknown>,
): Promise<CaseCost> {
  const started = performance.now();
  const used = cpuSince(processes);
  await run();
  await sleep(COST_SETTLE_MS);
  const usage = used();
  const elapsed = performance.now() - started;
  const perMessage = new Map(
    [...usage].map(([process, ms]) => [process, Math.max(0, ms - (idlePerMs.get(process) ?? 0) * elapsed) / count]),
  );
  return { name, perMessage, total: [...perMessage.values()].reduce((sum, ms) => sum + ms, 0) };
}

/**
 * Cost: machine CPU per message, read from `/proc/<pid>/schedstat` for every process of the stack (MariaDB
 * and NATS included; the benchmark's own processes left out), the idle rate taken off, for (a) a text
 * message in a 21-member group with one live subscriber, (b) the same with a link (its page and og:image
 * fetched, the image processed) and with an image (uploaded and processed), (c) a text message to 200
 * subscribers over two gateway processes; beside (baseline) one `me` query through the gateway.
 */
export async function benchCost(options: {
  gatewayUrls: string[];
  senders: Sender[];
  mint: Minter;
  web: FakeWeb;
  processes: StackProcess[];
}) {
  const [gatewayUrl, ...extraGateways] = options.gatewayUrls as [string, ...string[]];
  const senders = options.senders.slice(0, 10);
  const others = await options.mint(COST_GROUP_OTHERS, true);
  const wide = await options.mint(COST_WIDE_SUBSCRIBERS, true);
  const senderIds = senders.slice(1).map((sender) => sender.userId);
  const small = await createGroup(gatewayUrl, senders[0]!, 'Cost bench', [
    ...senderIds,
    ...others.map((other) => other.userId),
  ]);
  const large = await createGroup(gatewayUrl, senders[0]!, 'Cost bench, wide', [
    ...senderIds,
    ...wide.map((member) => member.userId),
  ]);
  const wsOf = (url: string) => url.replace(/^http/, 'ws');
  const one = await connectAll(
    {
      url: wsOf(gatewayUrl),
      protocol: 'graphql-ws',
      subscribe: { query: SUBSCRIPTION(true), variables: { chatId: small } },
    },
    [others[0]!.token],
  );
  // The wide group's subscribers, half on each of two gateway processes that take no sends.
  const half = COST_WIDE_SUBSCRIBERS / 2;
  const many = await Promise.all(
    [0, 1].map((index) =>
      connectAll(
        {
          url: wsOf(extraGateways[index] ?? gatewayUrl),
          protocol: 'graphql-ws',
          subscribe: { query: SUBSCRIPTION(true), variables: { chatId: large } },
        },
        wide.slice(index * half, (index + 1) * half).map((member) => member.token),
      ),
    ),
  );
  const image = await noiseJpeg(800);
  const sendAs = (index: number, chatId: string, text: string) =>
    send(gatewayUrl, senders[index % senders.length]!.token, chatId, text);
  const busySenders = options.senders.slice(senders.length, senders.length + 21);
  const busy = await createGroup(
    gatewayUrl,
    busySenders[0]!,
    'Cost bench, busy',
    busySenders.slice(1).map((sender) => sender.userId),
  );
  const busyOne = await connectAll(
    {
      url: wsOf(gatewayUrl),
      protocol: 'graphql-ws',
      subscribe: { query: SUBSCRIPTION(true), variables: { chatId: busy } },
    },
    [busySenders.at(-1)!.token],
  );
  const sendBusy = (index: number) =>
    send(gatewayUrl, busySenders[index % busySenders.length]!.token, busy, `busy ${index} ${stamp()}`);
  const me = (index: number) =>
    graphql(gatewayUrl, senders[index % senders.length]!.token, 'query { me { id displayName } }');

  // Subscribing checks membership first: a message sent before that finished is not delivered (no `since`).
  await sleep(2_000);
  // Warm-up: every measured path COST_WARM_UP times at its rate (JIT, plans, pools), then the idle rate.
  await paced(COST_WARM_UP, COST_MESSAGES_PER_SECOND, me);
  await paced(COST_WARM_UP, COST_MESSAGES_PER_SECOND, (index) => sendAs(index, small, `warm-up ${stamp()}`));
  await sleep(10_000); // the senders' send-rate windows are fresh for each run
  await paced(COST_WARM_UP / 2, COST_MESSAGES_PER_SECOND, (index) =>
    sendAs(index, small, `warm-up ${options.web.page('/og')} ${stamp()}`),
  );
  await paced(COST_WARM_UP / 2, COST_MESSAGES_PER_SECOND, (index) => sendAs(index, large, `warm-up ${stamp()}`));
  await paced(COST_WARM_UP, COST_BUSY_MESSAGES_PER_SECOND, sendBusy);
  await one.until(COST_WARM_UP * 1.5, 60_000);
  await busyOne.until(COST_WARM_UP, 60_000);
  await Promise.all(many.map((clients) => clients.until((COST_WARM_UP / 2) * half, 60_000)));
  await sleep(10_000);
  const idlePerMs = new Map<string, number>();
  for (let window = 0; window < COST_IDLE_WINDOWS; window += 1) {
    const idle = cpuSince(options.processes);
    await sleep(COST_IDLE_WINDOW_MS);
    for (const [process, ms] of idle())
      idlePerMs.set(process, Math.min(idlePerMs.get(process) ?? Infinity, ms / COST_IDLE_WINDOW_MS));
  }
  await Promise.all([one, busyOne, ...many].map((clients) => clients.stats(true)));

  const cases: CaseCost[] = [];
  cases.push(
    await measure('baseline: a me query', options.processes, idlePerMs, COST_MESSAGES, () =>
      paced(COST_MESSAGES, COST_MESSAGES_PER_SECOND, me),
    ),
  );
  await sleep(10_000); // the senders' send-rate windows are fresh for each case
  cases.push(
    await measure('(a) text, 21 members, 1 subscriber', options.processes, idlePerMs, COST_MESSAGES, async () => {
      await paced(COST_MESSAGES, COST_MESSAGES_PER_SECOND, (index) => sendAs(index, small, `text ${index} ${stamp()}`));
      await one.until(COST_MESSAGES, 60_000);
    }),
  );
  await one.stats(true);
  cases.push(
    await measure(
      `(a) at ${COST_BUSY_MESSAGES_PER_SECOND}/s, 21 members sending`,
      options.processes,
      idlePerMs,
      COST_MESSAGES,
      async () => {
        await paced(COST_MESSAGES, COST_BUSY_MESSAGES_PER_SECOND, sendBusy);
        await busyOne.until(COST_MESSAGES, 60_000);
      },
    ),
  );
  await sleep(10_000);
  cases.push(
    await measure('(b) with a link', options.processes, idlePerMs, COST_MESSAGES, async () => {
      await paced(COST_MESSAGES, COST_MESSAGES_PER_SECOND, (index) =>
        sendAs(index, small, `link ${index} ${options.web.page('/og')} ${stamp()}`),
      );
      await one.until(COST_MESSAGES, 60_000);
    }),
  );
  await one.stats(true);
  await sleep(10_000);
  cases.push(
    await measure('(b) with an image', options.processes, idlePerMs, COST_IMAGE_MESSAGES, async () => {
      await paced(COST_IMAGE_MESSAGES, COST_IMAGES_PER_SECOND, async (index) => {
        const sender = senders[index % senders.length]!;
        const { uploadImage } = await sender.client.upload(UploadImageDocument, {
          file: new File([new Uint8Array(image)], 'photo.jpg', { type: 'image/jpeg' }),
          purpose: 'MESSAGE',
        });
        await graphql(
          gatewayUrl,
          sender.token,
          'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
          {
            input: { chatId: small, clientMessageId: randomUUID(), imageId: uploadImage.id },
          },
        );
      });
      await one.until(COST_IMAGE_MESSAGES, 60_000);
    }),
  );
  await sleep(10_000);
  cases.push(
    await measure('(c) text, 200 subscribers, 2 gateways', options.processes, idlePerMs, COST_MESSAGES, async () => {
      await paced(COST_MESSAGES, COST_MESSAGES_PER_SECOND, (index) => sendAs(index, large, `wide ${index} ${stamp()}`));
      await Promise.all(many.map((clients) => clients.until(COST_MESSAGES * half, 120_000)));
    }),
  );
  await Promise.all([one, busyOne, ...many].map((clients) => clients.close()));

  const names = [...new Set(options.processes.map((each) => each.name))];
  const width = Math.max(...cases.map((each) => each.name.length));
  console.log(
    `\ncost: CPU ms per message (the baseline: per query) by process, idle taken off; ${COST_MESSAGES} messages at ${COST_MESSAGES_PER_SECOND}/s (images: ${COST_IMAGE_MESSAGES} at ${COST_IMAGES_PER_SECOND}/s)`,
  );
  console.log(
    `  ${''.padEnd(width)}  ${'total'.padStart(8)}  ${names.map((name) => ` ${name}`.padStart(15)).join('')}`,
  );
  for (const each of cases) {
    const cells = names.map((name) => fixed(each.perMessage.get(name) ?? 0, 2).padStart(15)).join('');
    console.log(`  ${each.name.padEnd(width)}  ${fixed(each.total, 2)}  ${cells}`);
  }
  return cases;
}

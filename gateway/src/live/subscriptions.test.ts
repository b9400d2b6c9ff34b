import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import {
  liveDeliveries,
  liveDeliveryLag,
  liveResumeCloses,
  liveSubscriptions,
  slowConsumerCloses,
} from '@letstalk/metrics';
import type { LiveHub, LiveListener } from './hub.ts';
import { MAX_PENDING_EVENTS } from './live-queue.ts';
import { SharedPayloads } from './shared-payloads.ts';
import { SocketOutput, WS_CLOSE_RESUME, WS_CLOSE_SLOW_CONSUMER } from './socket-output.ts';
import { subscribeLive } from './subscriptions.ts';

const schema = buildSchema(`
  type Query { message(id: ID!): Message }
  type Subscription { messageAdded(chatId: ID, after: String, since: [ID!]): Message! }
  type Message { id: ID!, seq: Int!, text: String }
`);
const SUBSCRIPTION = parse(
  'subscription($chatId: ID, $after: String, $since: [ID!]) { messageAdded(chatId: $chatId, after: $after, since: $since) { seq text } }',
);

const C = '0b6f6a3e-8c1d-4c55-9a57-2f1f3c8e9d10';
const D = '5d0c2b7a-1e4f-4a8b-b6c3-9e8d7f6a5b4c';
const GONE = 'e7a1c9d2-3b4f-4e6a-8c0d-1f2e3d4c5b6a';
/** Message texts name the chat: `c2` is the second message of C. */
const NAMES = new Map([
  [C, 'c'],
  [D, 'd'],
]);

/** The fake message subgraph's history cursors: a format of its own, which the gateway must not read. */
const cursorOf = (seq: number) => `at-${seq}`;

/** A viewer's messages in chats C and D (GONE is a chat the viewer left), and one subscription of theirs. */
function live(variables: Record<string, unknown>, options: { payloads?: 'hang' } = {}) {
  const chats = new Map<string, { seq: number; text: string }[]>([
    [C, []],
    [D, []],
  ]);
  const add = (chatId: string, count: number) => {
    const messages = chats.get(chatId)!;
    for (let index = 0; index < count; index += 1) {
      const seq = messages.length + 1;
      messages.push({ seq, text: `${NAMES.get(chatId)}${seq}` });
    }
  };
  let historyReads = 0;
  const run = async (query: string, values: Record<string, unknown>): Promise<ExecutionResult> => {
    if (query.includes('r: messages(')) {
      historyReads += 1;
      const messages = chats.get(String(values.__chatId));
      if (!messages)
        return { data: { r: null }, errors: [{ message: 'No.', extensions: { code: 'FORBIDDEN' } }] as never };
      // Its cursors, or a seq (which the API takes as a cursor too).
      const after = /^(?:at-)?(\d+)$/.exec(String(values.__before));
      if (!after)
        return {
          data: { r: null },
          errors: [{ message: 'Bad cursor.', extensions: { code: 'BAD_USER_INPUT' } }] as never,
        };
      const page = messages.filter((message) => message.seq > Number(after[1]));
      const edges = page.map((node) => ({ cursor: cursorOf(node.seq), liveSeq: { seq: node.seq }, node }));
      return { data: { r: { pageInfo: { hasPreviousPage: false }, edges: edges.reverse() } } };
    }
    if (query.includes('r: message(')) {
      if (options.payloads === 'hang') return new Promise(() => {});
      const [chatId, seq] = String(values.__id).split(':');
      return { data: { r: chats.get(chatId!)![Number(seq) - 1] } };
    }
    return { data: { chat: { id: values.__id } } };
  };
  const listeners = new Set<LiveListener>();
  const hub = {
    listen: (_userId: string, listener: LiveListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as LiveHub;
  const sent: { messageAdded: { seq: number; text: string } }[] = [];
  const closed: number[] = [];
  const socket = {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send: (frame: string) =>
      sent.push((JSON.parse(frame) as { payload: { data: (typeof sent)[number] } }).payload.data),
    close: (code: number) => closed.push(code),
  };
  const log = createLogger({ service: 'test', level: 'silent', pretty: false });
  const context = {
    viewer: { userId: 'viewer' },
    requestId: 'r',
    clientIp: '127.0.0.1',
    log,
    socket,
    operationId: '1',
  };
  let nextEvent = 0;
  const emit = (
    event:
      | { kind: 'messageAdded'; chatId: string; seq: number; at?: number }
      | { kind: 'chatUpdated'; chatId: string; change: 'REMOVED' },
  ) => {
    const id = `event-${nextEvent++}`;
    const full: LiveEvent =
      event.kind === 'messageAdded'
        ? {
            ...event,
            id,
            messageId: `${event.chatId}:${event.seq}`,
            cursor: cursorOf(event.seq),
            previousCursor: cursorOf(event.seq - 1),
          }
        : { ...event, id };
    for (const listener of listeners) listener.event(full);
  };
  const start = () =>
    subscribeLive(
      { schema, document: SUBSCRIPTION, variableValues: variables, contextValue: context },
      {
        hub,
        operationName: 'Internal',
        shared: new SharedPayloads(),
        maxReplayMessages: 1000,
        sink: (context) => new SocketOutput(context.socket, context.operationId),
        run,
        log,
      },
    );
  return {
    add,
    emit,
    start,
    sent,
    closed,
    listeners,
    seqs: () => sent.map((data) => data.messageAdded.seq),
    historyReads: () => historyReads,
  };
}

describe('subscribeLive (messageAdded)', () => {
  it('replays after the cursor, then delivers live messages in order: duplicates dropped, a gap filled from history', async () => {
    const chat = live({ chatId: C, after: '1' });
    chat.add(C, 3);
    const iterator = chat.start();
    await vi.waitFor(() => expect(chat.seqs()).toEqual([2, 3]));

    chat.add(C, 4);
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 3 });
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 4 });
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 4 });
    // 5 and 6 were lost on the way: 7 brings them from history first.
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 7 });
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 6 });
    await vi.waitFor(() => expect(chat.seqs()).toEqual([2, 3, 4, 5, 6, 7]));
    chat.emit({ kind: 'messageAdded', chatId: D, seq: 1 });
    await new Promise((settle) => setTimeout(settle, 50));
    expect(chat.sent.map((data) => data.messageAdded.text)).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c7']);

    await iterator.return!();
    expect(chat.listeners.size).toBe(0);
  });
  it('resumed at the newest message, still fills a gap when the next live events come out of order', async () => {
    // After an outage the fan-out's retries end in any order: 3 may be heard before 2.
    const chat = live({ chatId: C, after: '1' });
    chat.add(C, 1);
    const iterator = chat.start();
    await new Promise((settle) => setTimeout(settle, 50));
    expect(chat.seqs()).toEqual([]);

    chat.add(C, 2);
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 3 });
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 2 });
    await vi.waitFor(() => expect(chat.seqs()).toEqual([2, 3]));
    await iterator.return!();
  });

  it('resumed at the newest message by its cursor, delivers the next live one as it comes, without reading history', async () => {
    const chat = live({ chatId: C, after: cursorOf(1) });
    chat.add(C, 1);
    const iterator = chat.start();
    await vi.waitFor(() => expect(chat.historyReads()).toBe(1));
    chat.add(C, 1);
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 2 });
    await vi.waitFor(() => expect(chat.seqs()).toEqual([2]));
    expect(chat.historyReads()).toBe(1);
    await iterator.return!();
  });

  it('resumes every chat of `since` in order, skipping one the viewer has left', async () => {
    const all = live({ since: [`${GONE}:0`, `${D}:1`, `${C}:0`] });
    all.add(C, 2);
    all.add(D, 2);
    const iterator = all.start();
    await vi.waitFor(() => expect(all.sent.map((data) => data.messageAdded.text)).toEqual(['d2', 'c1', 'c2']));
    all.add(D, 1);
    all.emit({ kind: 'messageAdded', chatId: D, seq: 3 });
    await vi.waitFor(() => expect(all.sent.map((data) => data.messageAdded.text)).toEqual(['d2', 'c1', 'c2', 'd3']));
    await iterator.return!();
  });

  it('ends BAD_USER_INPUT on the argument when the message subgraph refuses a resume cursor', async () => {
    const one = live({ chatId: C, after: 'never-given-out' }).start();
    await expect(one.next()).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    const all = live({ since: [`${C}:x`] }).start();
    await expect(all.next()).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'since' } });
  });

  it('ends FORBIDDEN when the viewer is removed from the chat it follows', async () => {
    const chat = live({ chatId: C });
    const iterator = chat.start();
    await vi.waitFor(() => expect(chat.listeners.size).toBe(1));
    chat.emit({ kind: 'chatUpdated', chatId: C, change: 'REMOVED' });
    await expect(iterator.next()).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(chat.listeners.size).toBe(0);
  });

  it(`closes the socket of a subscriber ${MAX_PENDING_EVENTS} events behind, and ends its subscription`, async () => {
    const chat = live({ chatId: C }, { payloads: 'hang' });
    const iterator = chat.start();
    await vi.waitFor(() => expect(chat.listeners.size).toBe(1));
    chat.add(C, MAX_PENDING_EVENTS + 1);
    for (let seq = 1; seq <= MAX_PENDING_EVENTS; seq += 1) chat.emit({ kind: 'messageAdded', chatId: C, seq });
    expect(chat.closed).toEqual([]);
    const closes = () => valueOf(slowConsumerCloses, { reason: 'queue' });
    const closedBefore = await closes();
    chat.emit({ kind: 'messageAdded', chatId: C, seq: MAX_PENDING_EVENTS + 1 });
    expect(chat.closed).toEqual([WS_CLOSE_SLOW_CONSUMER]);
    expect(await closes()).toBe(closedBefore + 1);
    await expect(iterator.next()).resolves.toMatchObject({ done: true });
    expect(chat.listeners.size).toBe(0);
  });

  it('closes the socket (1012) to be resumed when the hub missed events, and ends its subscription', async () => {
    const chat = live({ chatId: C });
    const iterator = chat.start();
    await vi.waitFor(() => expect(chat.listeners.size).toBe(1));
    const closedBefore = await valueOf(liveResumeCloses);
    chat.listeners.forEach((listener) => listener.missed());
    expect([chat.closed, await valueOf(liveResumeCloses)]).toEqual([[WS_CLOSE_RESUME], closedBefore + 1]);
    await expect(iterator.next()).resolves.toMatchObject({ done: true });
    expect(chat.listeners.size).toBe(0);
  });
});

/** The value of one series of a metric (a histogram's by its sample name). */
async function valueOf(
  metric: { get: () => Promise<{ values: { labels: object; value: number; metricName?: string }[] }> },
  labels: Record<string, string> = {},
  metricName?: string,
): Promise<number> {
  const { values } = await metric.get();
  const found = values.find(
    (value) =>
      (metricName === undefined || value.metricName === metricName) &&
      Object.entries(labels).every(([key, wanted]) => (value.labels as Record<string, unknown>)[key] === wanted),
  );
  return found?.value ?? 0;
}

describe('subscribeLive metrics', () => {
  it('counts the subscription while it runs, and each live delivery with its lag from the event’s creation', async () => {
    const running = () => valueOf(liveSubscriptions, { field: 'messageAdded' });
    const deliveries = () => valueOf(liveDeliveries);
    const lags = () => valueOf(liveDeliveryLag, {}, 'letstalk_live_delivery_lag_seconds_count');
    const lagSum = () => valueOf(liveDeliveryLag, {}, 'letstalk_live_delivery_lag_seconds_sum');
    const before = {
      running: await running(),
      deliveries: await deliveries(),
      lags: await lags(),
      sum: await lagSum(),
    };
    const chat = live({ chatId: C, after: '1' });
    chat.add(C, 3);
    const iterator = chat.start();
    await vi.waitFor(() => expect(chat.seqs()).toEqual([2, 3]));
    expect(await running()).toBe(before.running + 1);
    // Replayed messages are not live deliveries.
    expect(await deliveries()).toBe(before.deliveries);

    chat.add(C, 2);
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 4, at: Date.now() - 2_000 });
    chat.emit({ kind: 'messageAdded', chatId: C, seq: 5 });
    await vi.waitFor(() => expect(chat.seqs()).toEqual([2, 3, 4, 5]));
    expect(await deliveries()).toBe(before.deliveries + 2);
    // Only the event that says when it was created has a lag, of about 2 s.
    expect(await lags()).toBe(before.lags + 1);
    expect((await lagSum()) - before.sum).toBeGreaterThanOrEqual(2);
    expect((await lagSum()) - before.sum).toBeLessThan(10);

    await iterator.return!();
    expect(await running()).toBe(before.running);
  });
});

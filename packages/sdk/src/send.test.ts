import { describe, expect, it } from 'vitest';
import { LetsTalkError } from './client.ts';
import type { MessageFieldsFragment } from './generated/graphql.ts';
import { createSender } from './send.ts';
import { controlledSend, serverMessage } from './test-fixtures.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const networkDown = () => new TypeError('fetch failed');

describe('optimistic sending', () => {
  it('shows the message pending at once, then settles it with the answer; the live copy afterwards changes nothing', async () => {
    const { send, calls } = controlledSend();
    const sender = createSender({ send, randomUUID: () => 'id-1' });
    const sent: MessageFieldsFragment[] = [];
    sender.onSent((message) => sent.push(message));
    const pending = sender.send('c', 'hello');
    expect(pending).toMatchObject({ clientMessageId: 'id-1', chatId: 'c', text: 'hello', status: 'pending' });
    expect(sender.getSnapshot()).toEqual([pending]);
    calls[0]!.resolve(serverMessage(calls[0]!.input));
    await tick();
    expect(sender.getSnapshot()).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sender.received({ clientMessageId: 'id-1', chat: { id: 'c' } })).toBe(false);
  });

  it('the live copy first settles it; the answer arriving later still hands the message over', async () => {
    const { send, calls } = controlledSend();
    const sender = createSender({ send, randomUUID: () => 'id-1' });
    const sent: MessageFieldsFragment[] = [];
    sender.onSent((message) => sent.push(message));
    sender.send('c', 'hello');
    await tick();
    expect(sender.received({ clientMessageId: 'id-1', chat: { id: 'c' } })).toBe(true);
    expect(sender.getSnapshot()).toEqual([]);
    calls[0]!.resolve(serverMessage(calls[0]!.input));
    await tick();
    expect(sent.map((message) => message.clientMessageId)).toEqual(['id-1']);
    expect(calls).toHaveLength(1);
  });

  it('retries a network failure with the same clientMessageId', async () => {
    const { send, calls } = controlledSend();
    const sender = createSender({ send, backoff: { baseMs: 1, maxMs: 2 } });
    const pending = sender.send('c', 'hello');
    await tick();
    calls[0]!.reject(networkDown());
    await tick();
    calls[1]!.reject(new LetsTalkError([{ message: 'later', extensions: { code: 'UNAVAILABLE' } }], 503));
    await tick();
    calls[2]!.resolve(serverMessage(calls[2]!.input));
    await tick();
    expect(calls.map((call) => call.input.clientMessageId)).toEqual(Array(3).fill(pending.clientMessageId));
    expect(sender.getSnapshot()).toEqual([]);
  });

  it('ends failed after its tries, and retry() sends it again with the same id', async () => {
    const sender = createSender({
      send: () => Promise.reject(networkDown()),
      attempts: 3,
      backoff: { baseMs: 1, maxMs: 2 },
    });
    const pending = sender.send('c', 'hello');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sender.getSnapshot()).toEqual([
      expect.objectContaining({ clientMessageId: pending.clientMessageId, status: 'failed', error: networkDown() }),
    ]);
  });

  it('a refused message fails at once; retry() sends it again with the same id and it can succeed', async () => {
    const { send, calls } = controlledSend();
    const sender = createSender({ send });
    const pending = sender.send('c', 'hello');
    await tick();
    calls[0]!.reject(new LetsTalkError([{ message: 'no', extensions: { code: 'FORBIDDEN' } }], 200));
    await tick();
    expect(sender.getSnapshot()[0]).toMatchObject({ status: 'failed' });
    sender.retry(pending.clientMessageId);
    expect(sender.getSnapshot()[0]).toMatchObject({ status: 'pending' });
    await tick();
    calls[1]!.resolve(serverMessage(calls[1]!.input));
    await tick();
    expect(calls.map((call) => call.input.clientMessageId)).toEqual([pending.clientMessageId, pending.clientMessageId]);
    expect(sender.getSnapshot()).toEqual([]);
  });
});

describe('order', () => {
  it('sends one message at a time per chat, in the order they were written; other chats do not wait', async () => {
    const { send, calls } = controlledSend();
    let id = 0;
    const sender = createSender({ send, randomUUID: () => `id-${(id += 1)}` });
    sender.send('c', 'first');
    sender.send('c', 'second');
    sender.send('d', 'elsewhere');
    await tick();
    expect(calls.map((call) => call.input.text)).toEqual(['first', 'elsewhere']);
    calls[0]!.resolve(serverMessage(calls[0]!.input, 1));
    await tick();
    expect(calls.map((call) => call.input.text)).toEqual(['first', 'elsewhere', 'second']);
  });
});

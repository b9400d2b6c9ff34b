import { describe, expect, it } from 'vitest';
import { slowConsumerCloses } from '@letstalk/metrics';
import { MAX_SOCKET_BUFFERED_BYTES, sendNext, WS_CLOSE_SLOW_CONSUMER } from './socket-output.ts';

function socket(bufferedAmount: number, readyState = 1) {
  const sent: string[] = [];
  const closed: [number, string][] = [];
  return {
    sent,
    closed,
    readyState,
    OPEN: 1 as const,
    bufferedAmount,
    send: (data: string) => void sent.push(data),
    close: (code: number, reason: string) => void closed.push([code, reason]),
  };
}

describe('sendNext', () => {
  it('writes a graphql-ws next message around the shared payload JSON', () => {
    const open = socket(0);
    expect(sendNext(open as never, 'op-1', '{"data":{"x":1}}')).toBe(true);
    expect(JSON.parse(open.sent[0]!)).toEqual({ id: 'op-1', type: 'next', payload: { data: { x: 1 } } });
  });

  it('closes a socket that does not read (its send buffer past the limit) instead of queueing more, and counts it', async () => {
    const closes = async () =>
      (await slowConsumerCloses.get()).values.find((value) => value.labels.reason === 'send_buffer')?.value ?? 0;
    const before = await closes();
    const slow = socket(MAX_SOCKET_BUFFERED_BYTES + 1);
    expect(sendNext(slow as never, 'op-1', '{}')).toBe(false);
    expect(slow.sent).toEqual([]);
    expect(slow.closed).toEqual([[WS_CLOSE_SLOW_CONSUMER, 'Too far behind']]);
    expect(await closes()).toBe(before + 1);
    expect(sendNext(socket(0) as never, 'op-2', '{}')).toBe(true);
    expect(await closes()).toBe(before + 1);
  });

  it('writes nothing to a closed socket', () => {
    const gone = socket(0, 3);
    expect(sendNext(gone as never, 'op-1', '{}')).toBe(false);
    expect(gone.sent).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
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

  it('closes a socket that does not read (its send buffer past the limit) instead of queueing more', () => {
    const slow = socket(MAX_SOCKET_BUFFERED_BYTES + 1);
    expect(sendNext(slow as never, 'op-1', '{}')).toBe(false);
    expect(slow.sent).toEqual([]);
    expect(slow.closed).toEqual([[WS_CLOSE_SLOW_CONSUMER, 'Too far behind']]);
  });

  it('writes nothing to a closed socket', () => {
    const gone = socket(0, 3);
    expect(sendNext(gone as never, 'op-1', '{}')).toBe(false);
    expect(gone.sent).toEqual([]);
  });
});

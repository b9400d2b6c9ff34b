import { describe, expect, it } from 'vitest';
import { CALL_RING_TIMEOUT_MS } from '../limits.ts';
import { effectiveState, isOpen, type CallRow } from './call-repository.ts';

const call = (state: CallRow['state'], ageMs: number): CallRow => ({
  chatId: 'c',
  id: 'x',
  callerId: 'a',
  calleeId: 'b',
  state,
  offer: 'v=0',
  answer: null,
  createdAt: new Date(Date.now() - ageMs),
  answeredAt: null,
  endedAt: null,
});

describe('effectiveState', () => {
  it('reads a call that rang past its time as missed, even before the timer marked it', () => {
    expect(effectiveState(call('RINGING', 1_000))).toBe('RINGING');
    expect(effectiveState(call('RINGING', CALL_RING_TIMEOUT_MS + 1))).toBe('MISSED');
    expect(isOpen(call('RINGING', CALL_RING_TIMEOUT_MS + 1))).toBe(false);
  });

  it('leaves an answered call active however long it lasts', () => {
    expect(effectiveState(call('ACTIVE', CALL_RING_TIMEOUT_MS * 10))).toBe('ACTIVE');
    expect(isOpen(call('ACTIVE', CALL_RING_TIMEOUT_MS * 10))).toBe(true);
    expect(isOpen(call('ENDED', 0))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { idleCheckIntervalMs, refreshIntervalMs, statusOf } from './presence-state.ts';

describe('statusOf', () => {
  it('is ONLINE while any socket was active within the window, AWAY when every one is idle', () => {
    expect(statusOf([1_000], 1_500, 1_000)).toBe('ONLINE');
    expect(statusOf([0, 1_400], 2_000, 1_000)).toBe('ONLINE');
    expect(statusOf([0, 999], 2_000, 1_000)).toBe('AWAY');
    expect(statusOf([1_000], 2_000, 1_000)).toBe('AWAY');
  });

  it('is AWAY without any socket time (not expected: a person without sockets has no state here)', () => {
    expect(statusOf([], 0, 1_000)).toBe('AWAY');
  });
});

describe('intervals', () => {
  it('refreshes keys three times per TTL and checks idleness four times per away window, at most every 30 s', () => {
    expect(refreshIntervalMs(60_000)).toBe(20_000);
    expect(idleCheckIntervalMs(600_000)).toBe(30_000);
    expect(idleCheckIntervalMs(2_000)).toBe(500);
  });
});

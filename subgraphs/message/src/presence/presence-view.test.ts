import { describe, expect, it } from 'vitest';
import type { PresenceRow } from '../data/presence-repository.ts';
import { presenceAsSeen, statusFrom } from './presence-view.ts';

const seen = new Date('2026-11-24T13:05:00.000Z');
const row = (values: Partial<PresenceRow>): PresenceRow => ({
  userId: 'u',
  status: 'OFFLINE',
  lastSeenAt: seen,
  hidden: false,
  changedAt: seen,
  ...values,
});
const other = { own: false, blocked: false };

describe('statusFrom', () => {
  it('is ONLINE when any gateway has the person active, AWAY when all have them idle, OFFLINE with none', () => {
    expect(statusFrom(['AWAY', 'ONLINE'])).toBe('ONLINE');
    expect(statusFrom(['AWAY', 'AWAY'])).toBe('AWAY');
    expect(statusFrom([])).toBe('OFFLINE');
  });
});

describe('presenceAsSeen', () => {
  it('shows others the status, and when they were last seen once OFFLINE only', () => {
    expect(presenceAsSeen('u', row({ status: 'ONLINE' }), other)).toEqual({
      userId: 'u',
      status: 'ONLINE',
      lastSeenAt: null,
      hidden: null,
    });
    expect(presenceAsSeen('u', row({}), other).lastSeenAt).toEqual(seen);
  });

  it('shows a hidden presence, or one across a block either way, as OFFLINE never seen', () => {
    const hiddenView = presenceAsSeen('u', row({ status: 'ONLINE', hidden: true }), other);
    const blockedView = presenceAsSeen('u', row({ status: 'AWAY' }), { own: false, blocked: true });
    expect(hiddenView).toEqual({ userId: 'u', status: 'OFFLINE', lastSeenAt: null, hidden: null });
    expect(blockedView).toEqual(hiddenView);
  });

  it('shows the person their own presence as it is, hidden or not, with their setting', () => {
    expect(presenceAsSeen('u', row({ status: 'AWAY', hidden: true }), { own: true, blocked: false })).toEqual({
      userId: 'u',
      status: 'AWAY',
      lastSeenAt: null,
      hidden: true,
    });
  });

  it('shows someone never seen as OFFLINE without a time', () => {
    expect(presenceAsSeen('u', undefined, other)).toEqual({
      userId: 'u',
      status: 'OFFLINE',
      lastSeenAt: null,
      hidden: null,
    });
    expect(presenceAsSeen('u', undefined, { own: true, blocked: false }).hidden).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeLiveEvent, LIVE_EVENT_VERSION, liveSubject, type LiveEvent } from './live.ts';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const MESSAGE_ADDED: LiveEvent = {
  kind: 'messageAdded',
  id: 'S:1',
  chatId: 'c',
  messageId: 'c:1',
  seq: 1,
  cursor: '1',
  previousCursor: '0',
};

describe('live events', () => {
  it('round-trips a valid event and names the subject per user', () => {
    const event = MESSAGE_ADDED;
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION, data: event }))).toEqual(event);
    expect(liveSubject('u-1')).toBe('live.user.u-1');
  });

  it('keeps when an event was created, and accepts events without it (older publishers)', () => {
    const event: LiveEvent = { kind: 'chatUpdated', id: 'S:2', at: 1_795_000_000_123, chatId: 'c', change: 'RENAMED' };
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION, data: event }))).toEqual(event);
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION, data: { ...event, at: 'yesterday' } }))).toBeUndefined();
  });

  it('skips other versions, unknown kinds, bad shapes and garbage instead of throwing', () => {
    const event = MESSAGE_ADDED;
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION + 1, data: event }))).toBeUndefined();
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION, data: { ...event, kind: 'somethingNew' } }))).toBeUndefined();
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION, data: { ...event, seq: 0 } }))).toBeUndefined();
    // A message without its history cursor (a fan-out older than the gateway: upgrade message subgraphs first).
    expect(decodeLiveEvent(bytes({ v: LIVE_EVENT_VERSION, data: { ...event, cursor: undefined } }))).toBeUndefined();
    expect(decodeLiveEvent(new TextEncoder().encode('{not json'))).toBeUndefined();
  });
});

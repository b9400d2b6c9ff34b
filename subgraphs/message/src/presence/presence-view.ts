import type { GatewayPresence } from '@letstalk/events';
import type { PresenceRow, PresenceStatus } from '../data/presence-repository.ts';

/** `Presence` as one viewer sees it. */
export interface PresenceView {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: Date | null;
  /** The person's own setting, for themselves only; null for anyone else. */
  hidden: boolean | null;
}

/**
 * A person's status from their state on each gateway holding a live key of theirs: ONLINE when any gateway has
 * them active, AWAY when every one has them idle, OFFLINE without any.
 */
export function statusFrom(states: readonly GatewayPresence[]): PresenceStatus {
  if (states.includes('ONLINE')) return 'ONLINE';
  return states.length > 0 ? 'AWAY' : 'OFFLINE';
}

/**
 * A person's presence as a viewer sees it. The person themselves sees it as it is, with their setting. Anyone else
 * (who shares a chat: the caller checks) sees OFFLINE without `lastSeenAt` when the person hides their presence or
 * when either blocked the other, so a blocked person cannot tell a block from a hidden presence; otherwise the
 * status, and `lastSeenAt` once OFFLINE. A person never seen (no row) is OFFLINE, never seen.
 */
export function presenceAsSeen(
  userId: string,
  row: PresenceRow | undefined,
  viewer: { own: boolean; blocked: boolean },
): PresenceView {
  if (viewer.own) {
    return {
      userId,
      status: row?.status ?? 'OFFLINE',
      lastSeenAt: row?.status === 'OFFLINE' ? row.lastSeenAt : null,
      hidden: row?.hidden ?? false,
    };
  }
  if (!row || row.hidden || viewer.blocked) return { userId, status: 'OFFLINE', lastSeenAt: null, hidden: null };
  return { userId, status: row.status, lastSeenAt: row.status === 'OFFLINE' ? row.lastSeenAt : null, hidden: null };
}

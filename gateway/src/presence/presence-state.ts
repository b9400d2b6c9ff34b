/** A person's state on one gateway: some socket active lately, or every socket idle. */
export type GatewayStatus = 'ONLINE' | 'AWAY';

/** Default of PRESENCE_TTL_MS: a gateway's keys outlive it by at most this much (refreshed every third of it). */
export const PRESENCE_TTL_MS = 60_000;
/**
 * Default of PRESENCE_AWAY_AFTER_MS: a person whose every socket on a gateway has sent nothing for this long is
 * AWAY there (Slack's 10 minutes). The SDK sends a graphql-ws ping when its user does something.
 */
export const PRESENCE_AWAY_AFTER_MS = 10 * 60_000;

/**
 * The state of a person on this gateway from when each of their sockets last heard from its client: ONLINE while
 * any of them did within `awayAfterMs`, AWAY when all are idle.
 */
export function statusOf(lastActiveAt: Iterable<number>, now: number, awayAfterMs: number): GatewayStatus {
  for (const at of lastActiveAt) if (now - at < awayAfterMs) return 'ONLINE';
  return 'AWAY';
}

/**
 * How often idleness is checked: often enough that AWAY shows within a quarter of `awayAfterMs`, and at most every
 * 30 s (a check costs a loop over the people connected here, nothing more unless one turned AWAY).
 */
export const idleCheckIntervalMs = (awayAfterMs: number) => Math.max(50, Math.min(awayAfterMs / 4, 30_000));

/** How often every key of this gateway is written again: a third of the TTL, so one lost write does not expire it. */
export const refreshIntervalMs = (ttlMs: number) => Math.max(50, Math.floor(ttlMs / 3));

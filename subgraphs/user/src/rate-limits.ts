import { createHash } from 'node:crypto';
import type { Pool } from '@letstalk/db';
import { createRateLimiter, type RateLimiter } from '@letstalk/server';
import {
  EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR,
  NOTIFICATION_CHANGES_PER_USER_PER_HOUR,
  PROFILE_UPDATES_PER_USER_PER_HOUR,
  PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES,
} from './limits.ts';

/**
 * The sign-in and profile limits, shared by every instance (counted in the user database). Per-client limits are keyed
 * by `clientNetwork()`; per-address ones by {@link emailKey} / {@link emailNetworkKey}.
 */
export interface RateLimits {
  /** Code requests for one address, from anywhere. */
  emailCodePerEmail: RateLimiter;
  /** Code requests for one address from one client network. */
  emailCodePerEmailNetwork: RateLimiter;
  /** Code requests from one client network, for any address. */
  emailCodePerIp: RateLimiter;
  /** Code sign-in attempts from one client network, right or wrong. */
  emailCodeAttemptsPerIp: RateLimiter;
  /** Wrong codes for one address, across its codes. */
  emailCodeFailuresPerEmail: RateLimiter;
  /** Wrong codes for one address from one client network. */
  emailCodeFailuresPerEmailNetwork: RateLimiter;
  providerSignInPerIp: RateLimiter;
  /** Profile changes of one user. */
  profileUpdatesPerUser: RateLimiter;
  /** Push subscriptions registered or removed, and notification settings changed, by one user. */
  notificationChangesPerUser: RateLimiter;
}

/**
 * Keys that hold an address are hashed: the table's key column is 255 characters of a case-insensitive
 * collation, and it need not hold anyone's email in the clear.
 */
export const emailKey = (email: string) => createHash('sha256').update(email).digest('hex');
export const emailNetworkKey = (email: string, network: string) =>
  createHash('sha256').update(`${email}\n${network}`).digest('hex');

export async function createRateLimits(pool: Pool, database: string): Promise<RateLimits> {
  const make = (keyPrefix: string, points: number, durationSeconds: number) =>
    createRateLimiter(pool, database, { keyPrefix, points, durationSeconds });
  return {
    emailCodePerEmail: await make('email-code-email', EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR, 3600),
    emailCodePerEmailNetwork: await make(
      'email-code-email-net',
      EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR,
      3600,
    ),
    emailCodePerIp: await make('email-code-ip', EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR, 3600),
    emailCodeAttemptsPerIp: await make('email-code-attempt-ip', EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES, 600),
    emailCodeFailuresPerEmail: await make('email-code-fail-email', EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR, 3600),
    emailCodeFailuresPerEmailNetwork: await make(
      'email-code-fail-email-net',
      EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR,
      3600,
    ),
    providerSignInPerIp: await make('provider-sign-in-ip', PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES, 600),
    profileUpdatesPerUser: await make('profile-update', PROFILE_UPDATES_PER_USER_PER_HOUR, 3600),
    notificationChangesPerUser: await make('notification-change', NOTIFICATION_CHANGES_PER_USER_PER_HOUR, 3600),
  };
}

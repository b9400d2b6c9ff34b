import { RateLimiterMySQL, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '@letstalk/db';
import { rateLimited } from '@letstalk/errors';
import {
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR,
  EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES,
  PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES,
} from './limits.ts';

export interface RateLimits {
  emailCodePerEmail: RateLimiterMySQL;
  emailCodePerIp: RateLimiterMySQL;
  emailCodeAttemptsPerIp: RateLimiterMySQL;
  providerSignInPerIp: RateLimiterMySQL;
}

/**
 * Limits shared by every instance: counters live in the user database (`rate_limits` table, created by
 * the library on first start).
 */
export async function createRateLimits(pool: Pool, database: string): Promise<RateLimits> {
  const make = (keyPrefix: string, points: number, duration: number) =>
    new Promise<RateLimiterMySQL>((resolve, reject) => {
      const limiter: RateLimiterMySQL = new RateLimiterMySQL(
        // mysql2's promise pool wraps a callback pool, which is what the library drives.
        { storeClient: (pool as unknown as { pool: unknown }).pool, storeType: 'pool', dbName: database, tableName: 'rate_limits', keyPrefix, points, duration },
        (error?: Error) => (error ? reject(error) : resolve(limiter)),
      );
    });
  return {
    emailCodePerEmail: await make('email-code-email', EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR, 3600),
    emailCodePerIp: await make('email-code-ip', EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR, 3600),
    emailCodeAttemptsPerIp: await make('email-code-attempt-ip', EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES, 600),
    providerSignInPerIp: await make('provider-sign-in-ip', PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES, 600),
  };
}

/** Takes one point for `key`, or throws RATE_LIMITED with the time to wait. */
export async function consume(limiter: RateLimiterMySQL, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}

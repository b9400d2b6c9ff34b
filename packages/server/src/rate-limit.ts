import { RateLimiterMySQL, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '@letstalk/db';
import { rateLimited } from '@letstalk/errors';
import { rateLimitRefusals } from '@letstalk/metrics';

export type RateLimiter = RateLimiterMySQL;

/**
 * A limiter shared by every instance of a subgraph: its counters live in the subgraph's own database
 * (table `rate_limits`, created by rate-limiter-flexible on first use).
 */
export function createRateLimiter(
  pool: Pool,
  database: string,
  options: { keyPrefix: string; points: number; durationSeconds: number },
): Promise<RateLimiter> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterMySQL = new RateLimiterMySQL(
      {
        // mysql2's promise pool wraps a callback pool, which is what the library drives.
        storeClient: (pool as unknown as { pool: unknown }).pool,
        storeType: 'pool',
        dbName: database,
        tableName: 'rate_limits',
        keyPrefix: options.keyPrefix,
        points: options.points,
        duration: options.durationSeconds,
      },
      (error?: Error) => (error ? reject(error) : resolve(limiter)),
    );
  });
}

/**
 * Takes `points` (one by default) for `key`, or throws RATE_LIMITED with the time to wait (and counts the
 * refusal under the limiter's `keyPrefix`).
 */
export async function consumePoint(limiter: RateLimiter, key: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      rateLimitRefusals.inc({ limit: limiter.keyPrefix });
      throw rateLimited(rejection.msBeforeNext / 1000);
    }
    throw rejection;
  }
}

import type { Pool } from '@letstalk/db';
import { createRateLimiter, type RateLimiter } from '@letstalk/server';
import {
  EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR,
  PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES,
} from './limits.ts';

export interface RateLimits {
  emailCodePerEmail: RateLimiter;
  emailCodePerIp: RateLimiter;
  emailCodeAttemptsPerIp: RateLimiter;
  providerSignInPerIp: RateLimiter;
}

/** The sign-in limits, shared by every instance (counted in the user database). */
export async function createRateLimits(pool: Pool, database: string): Promise<RateLimits> {
  const make = (keyPrefix: string, points: number, durationSeconds: number) =>
    createRateLimiter(pool, database, { keyPrefix, points, durationSeconds });
  return {
    emailCodePerEmail: await make('email-code-email', EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR, 3600),
    emailCodePerIp: await make('email-code-ip', EMAIL_CODE_REQUESTS_PER_IP_PER_HOUR, 3600),
    emailCodeAttemptsPerIp: await make('email-code-attempt-ip', EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES, 600),
    providerSignInPerIp: await make('provider-sign-in-ip', PROVIDER_SIGN_INS_PER_IP_PER_10_MINUTES, 600),
  };
}

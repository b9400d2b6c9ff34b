import { rateLimited, unauthenticated } from '@letstalk/errors';
import { rateLimitRefusals } from '@letstalk/metrics';
import { clientNetwork, consumePoint, type RateLimiter } from '@letstalk/server';
import type { UserContext } from '../context.ts';
import { consumeEmailCode, createEmailCode, type GuessBudget } from '../data/email-code-repository.ts';
import { emailKey, emailNetworkKey } from '../rate-limits.ts';

/**
 * Mails a sign-in code. A client network may ask for a few codes per address; the address itself takes
 * a few times more from all networks together. So a stranger who spends their share leaves the owner
 * theirs, and the codes the stranger triggered went to the owner's inbox anyway.
 */
export async function requestSignInCode(
  context: UserContext,
  email: string,
  send: (email: string, code: string) => Promise<void>,
): Promise<{ expiresAt: Date }> {
  const { limits } = context.services;
  const network = clientNetwork(context.clientIp);
  await consumePoint(limits.emailCodePerIp, network);
  // The network's share first: once it is spent, its requests no longer eat into the address's total.
  await consumePoint(limits.emailCodePerEmailNetwork, emailNetworkKey(email, network));
  await consumePoint(limits.emailCodePerEmail, emailKey(email));
  const { code, expiresAt } = await createEmailCode(context.db, email);
  await send(email, code);
  return { expiresAt };
}

/**
 * Checks a sign-in code. Wrong codes are counted per address across codes (a new code does not start
 * again) and per (address, client network); over either, RATE_LIMITED until the window ends, so one
 * network cannot use up the owner's allowance.
 */
export async function checkSignInCode(context: UserContext, email: string, code: string): Promise<void> {
  const { limits } = context.services;
  const network = clientNetwork(context.clientIp);
  await consumePoint(limits.emailCodeAttemptsPerIp, network);
  const budget = guessBudget([
    [limits.emailCodeFailuresPerEmail, emailKey(email)],
    [limits.emailCodeFailuresPerEmailNetwork, emailNetworkKey(email, network)],
  ]);
  // Checked in its own transaction so that a wrong attempt is counted even though the sign-in fails.
  const check = await context.db.transaction((tx) => consumeEmailCode(tx, email, code, budget));
  if (check.valid) return;
  if (check.retryAfterSeconds) {
    rateLimitRefusals.inc({ limit: 'email-code-failures' });
    throw rateLimited(check.retryAfterSeconds);
  }
  throw unauthenticated('The code is wrong, expired or was already used.');
}

function guessBudget(counters: [RateLimiter, string][]): GuessBudget {
  return {
    async waitSeconds() {
      const states = await Promise.all(counters.map(([limiter, key]) => limiter.get(key)));
      const waits = states.flatMap((state, index) =>
        state && state.consumedPoints >= counters[index]![0].points ? [state.msBeforeNext / 1000] : [],
      );
      return waits.length > 0 ? Math.max(1, ...waits) : 0;
    },
    async spend() {
      await Promise.all(counters.map(([limiter, key]) => limiter.penalty(key)));
    },
  };
}

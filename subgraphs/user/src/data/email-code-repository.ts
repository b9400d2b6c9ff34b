import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { UserDb, UserTx } from './tables.ts';
import { EMAIL_CODE_LENGTH, EMAIL_CODE_MAX_ATTEMPTS, EMAIL_CODE_TTL_SECONDS } from '../limits.ts';
import { emailCodes } from './tables.ts';

const hashCode = (email: string, code: string) => createHash('sha256').update(`${email}\n${code}`).digest('hex');

/** Creates a fresh code for the address, replacing any earlier one (only the latest code works). */
export async function createEmailCode(db: UserDb, email: string): Promise<{ code: string; expiresAt: Date }> {
  const code = String(randomInt(0, 10 ** EMAIL_CODE_LENGTH)).padStart(EMAIL_CODE_LENGTH, '0');
  const expiresAt = new Date(Date.now() + EMAIL_CODE_TTL_SECONDS * 1000);
  const codeHash = hashCode(email, code);
  await db
    .insert(emailCodes)
    .values({ email, codeHash, expiresAt, attempts: 0 })
    .onDuplicateKeyUpdate({ set: { codeHash, expiresAt, attempts: 0, createdAt: sql`CURRENT_TIMESTAMP(3)` } });
  return { code, expiresAt };
}

/** How many more wrong codes an address may receive now, across its codes (see the sign-in policy). */
export interface GuessBudget {
  /** Seconds until a guess is allowed again; 0 when one is allowed now. */
  waitSeconds(): Promise<number>;
  /** Counts one wrong code. */
  spend(): Promise<void>;
}

export type CodeCheck = { valid: true } | { valid: false; retryAfterSeconds?: number };

/**
 * Checks a code under the row's lock, inside the caller's transaction: a right code is consumed (single
 * use); a wrong one counts an attempt, and the code is destroyed at the last allowed attempt. Only a guess
 * at a live code spends the budget (with none there is nothing to guess, and nobody is locked out by it);
 * the lock makes guesses at one address take their turn, so the budget is never overspent.
 */
export async function consumeEmailCode(
  tx: UserTx,
  email: string,
  code: string,
  budget: GuessBudget,
): Promise<CodeCheck> {
  const [row] = await tx.select().from(emailCodes).where(eq(emailCodes.email, email)).for('update');
  if (!row) return { valid: false };
  if (row.expiresAt.getTime() <= Date.now() || row.attempts >= EMAIL_CODE_MAX_ATTEMPTS) {
    await tx.delete(emailCodes).where(eq(emailCodes.email, email));
    return { valid: false };
  }
  const wait = await budget.waitSeconds();
  if (wait > 0) return { valid: false, retryAfterSeconds: wait };
  const matches = timingSafeEqual(Buffer.from(row.codeHash), Buffer.from(hashCode(email, code)));
  if (!matches) await budget.spend();
  if (matches || row.attempts + 1 >= EMAIL_CODE_MAX_ATTEMPTS) {
    await tx.delete(emailCodes).where(eq(emailCodes.email, email));
  } else {
    await tx
      .update(emailCodes)
      .set({ attempts: sql`${emailCodes.attempts} + 1` })
      .where(eq(emailCodes.email, email));
  }
  return { valid: matches };
}

import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { UserDb } from '../context.ts';
import { EMAIL_CODE_LENGTH, EMAIL_CODE_MAX_ATTEMPTS, EMAIL_CODE_TTL_SECONDS } from '../limits.ts';
import { emailCodes } from './tables.ts';

type Tx = Parameters<Parameters<UserDb['transaction']>[0]>[0];

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

/**
 * Checks a code under the row's lock, inside the caller's transaction: a right code is consumed (single
 * use); a wrong one counts an attempt, and the code is destroyed at the last allowed attempt.
 */
export async function consumeEmailCode(tx: Tx, email: string, code: string): Promise<boolean> {
  const [row] = await tx.select().from(emailCodes).where(eq(emailCodes.email, email)).for('update');
  if (!row) return false;
  if (row.expiresAt.getTime() <= Date.now() || row.attempts >= EMAIL_CODE_MAX_ATTEMPTS) {
    await tx.delete(emailCodes).where(eq(emailCodes.email, email));
    return false;
  }
  const matches = timingSafeEqual(Buffer.from(row.codeHash), Buffer.from(hashCode(email, code)));
  if (matches || row.attempts + 1 >= EMAIL_CODE_MAX_ATTEMPTS) {
    await tx.delete(emailCodes).where(eq(emailCodes.email, email));
  } else {
    await tx
      .update(emailCodes)
      .set({ attempts: sql`${emailCodes.attempts} + 1` })
      .where(eq(emailCodes.email, email));
  }
  return matches;
}

import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { unauthenticated } from '@letstalk/errors';
import type { UserDb } from '../context.ts';
import { REFRESH_TOKEN_TTL_SECONDS } from '../limits.ts';
import { refreshTokens, sessions } from './tables.ts';

type Tx = Parameters<Parameters<UserDb['transaction']>[0]>[0];

export interface IssuedRefreshToken {
  sessionId: string;
  userId: string;
  refreshToken: string;
  expiresAt: Date;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

async function insertRefreshToken(tx: Tx, sessionId: string): Promise<{ refreshToken: string; expiresAt: Date }> {
  const refreshToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000);
  await tx.insert(refreshTokens).values({ tokenHash: hashToken(refreshToken), sessionId, expiresAt });
  return { refreshToken, expiresAt };
}

/** Starts a session (a refresh-token family) for a user inside the sign-in transaction. */
export async function createSession(tx: Tx, userId: string): Promise<IssuedRefreshToken> {
  const sessionId = uuidv7();
  await tx.insert(sessions).values({ id: sessionId, userId });
  return { sessionId, userId, ...(await insertRefreshToken(tx, sessionId)) };
}

/**
 * Exchanges a refresh token for a new one of the same family. Presenting a token that was already
 * exchanged means it leaked (or a client misbehaves): the whole family is revoked.
 */
export async function rotateRefreshToken(db: UserDb, refreshToken: string): Promise<IssuedRefreshToken> {
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ token: refreshTokens, session: sessions })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, hashToken(refreshToken)))
      .for('update');
    if (!row || row.session.revokedAt) return { ok: false as const };
    if (row.token.usedAt) {
      await tx
        .update(sessions)
        .set({ revokedAt: sql`CURRENT_TIMESTAMP(3)`, revokedReason: 'refresh-token-reuse' })
        .where(eq(sessions.id, row.session.id));
      return { ok: false as const };
    }
    if (row.token.expiresAt.getTime() <= Date.now()) return { ok: false as const };
    await tx
      .update(refreshTokens)
      .set({ usedAt: sql`CURRENT_TIMESTAMP(3)` })
      .where(eq(refreshTokens.tokenHash, row.token.tokenHash));
    const next = await insertRefreshToken(tx, row.session.id);
    return { ok: true as const, issued: { sessionId: row.session.id, userId: row.session.userId, ...next } };
  });
  // Thrown after the commit, so a detected reuse stays revoked.
  if (!outcome.ok) throw unauthenticated('The refresh token is invalid, expired or was already used.');
  return outcome.issued;
}

/** Ends a session; its refresh tokens stop working at once, access tokens at their expiry. */
export async function revokeSession(db: UserDb, sessionId: string, userId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`CURRENT_TIMESTAMP(3)`, revokedReason: 'sign-out' })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

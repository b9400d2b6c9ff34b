import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { and, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { retryingRaces } from '@letstalk/db';
import { unauthenticated } from '@letstalk/errors';
import type { UserDb, UserTx } from './tables.ts';
import { REFRESH_REUSE_GRACE_SECONDS, REFRESH_TOKEN_TTL_SECONDS, SESSION_MAX_LIFETIME_SECONDS } from '../limits.ts';
import { refreshTokens, sessions } from './tables.ts';

export interface IssuedRefreshToken {
  sessionId: string;
  userId: string;
  refreshToken: string;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A token's successor is kept sealed (until the family's next exchange; it is only opened within the grace
 * window) (AES-256-GCM) under a key derived from the token
 * itself. The database holds only the token's hash, so neither a copy of the database nor anyone but the
 * token's holder can open it; no server secret is involved, and each successor stays random (a successor
 * derived from its predecessor, e.g. an HMAC under a server key, would let whoever holds that key and one
 * old token compute every later token of the family).
 */
const successorKey = (token: string) =>
  Buffer.from(hkdfSync('sha256', token, '', 'letstalk refresh-token successor v1', 32));

function sealSuccessor(token: string, successor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', successorKey(token), iv);
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

function openSuccessor(token: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', successorKey(token), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(-16));
    return Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A new token of the session, expiring after its TTL or with the session, whichever comes first. */
async function insertRefreshToken(
  tx: UserTx,
  sessionId: string,
  sessionSecondsLeft = SESSION_MAX_LIFETIME_SECONDS,
): Promise<{ refreshToken: string; expiresAt: Date }> {
  const refreshToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + Math.min(REFRESH_TOKEN_TTL_SECONDS, sessionSecondsLeft) * 1000);
  await tx.insert(refreshTokens).values({ tokenHash: hashToken(refreshToken), sessionId, expiresAt });
  return { refreshToken, expiresAt };
}

/** Starts a session (a refresh-token family) for a user inside the sign-in transaction. */
export async function createSession(tx: UserTx, userId: string): Promise<IssuedRefreshToken> {
  const sessionId = uuidv7();
  await tx.insert(sessions).values({ id: sessionId, userId });
  return { sessionId, userId, ...(await insertRefreshToken(tx, sessionId)) };
}

/**
 * Exchanges a refresh token for a new one of the same family. The same token presented again within
 * {@link REFRESH_REUSE_GRACE_SECONDS} of its exchange, while its successor is still unused, answers with
 * that same successor (two tabs, a retried request). Any other presentation of an exchanged token means it
 * leaked (or a client misbehaves): the whole family is revoked. No session outlives
 * {@link SESSION_MAX_LIFETIME_SECONDS}.
 */
export async function rotateRefreshToken(
  db: UserDb,
  refreshToken: string,
  /** Called after the commit when the token's reuse revoked its session. */
  onRevoked?: (session: { sessionId: string; userId: string }) => void,
): Promise<IssuedRefreshToken> {
  // A repeat of an exchange that meets the successor's own exchange can deadlock (they lock the two rows in
  // opposite orders); run again, it sees the other's result.
  const outcome = await retryingRaces(() =>
    db.transaction(async (tx) => {
      // Ages are measured by the database's clock, the one that wrote `created_at` and `used_at`.
      const [row] = await tx
        .select({
          token: refreshTokens,
          session: sessions,
          sessionSecondsLeft:
            sql<number>`TIMESTAMPDIFF(SECOND, NOW(3), ${sessions.createdAt} + INTERVAL ${SESSION_MAX_LIFETIME_SECONDS} SECOND)`.mapWith(
              Number,
            ),
          usedWithinGrace:
            sql<number>`COALESCE(${refreshTokens.usedAt} > NOW(3) - INTERVAL ${REFRESH_REUSE_GRACE_SECONDS} SECOND, 0)`.mapWith(
              Number,
            ),
        })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(eq(refreshTokens.tokenHash, hashToken(refreshToken)))
        .for('update');
      if (!row || row.session.revokedAt || row.sessionSecondsLeft <= 0) return { ok: false as const };
      if (row.token.usedAt) {
        const again = row.usedWithinGrace === 1 ? await unusedSuccessor(tx, row.token, refreshToken) : undefined;
        if (again)
          return { ok: true as const, issued: { sessionId: row.session.id, userId: row.session.userId, ...again } };
        await tx
          .update(sessions)
          .set({ revokedAt: sql`CURRENT_TIMESTAMP(3)`, revokedReason: 'refresh-token-reuse' })
          .where(eq(sessions.id, row.session.id));
        return { ok: false as const, revoked: { sessionId: row.session.id, userId: row.session.userId } };
      }
      if (row.token.expiresAt.getTime() <= Date.now()) return { ok: false as const };
      const next = await insertRefreshToken(tx, row.session.id, row.sessionSecondsLeft);
      // Only the newest exchange of a family can be repeated: an older token's successor is now used.
      await tx
        .update(refreshTokens)
        .set({ successorSealed: null })
        .where(
          and(
            eq(refreshTokens.sessionId, row.session.id),
            ne(refreshTokens.tokenHash, row.token.tokenHash),
            isNotNull(refreshTokens.successorSealed),
          ),
        );
      await tx
        .update(refreshTokens)
        .set({ usedAt: sql`CURRENT_TIMESTAMP(3)`, successorSealed: sealSuccessor(refreshToken, next.refreshToken) })
        .where(eq(refreshTokens.tokenHash, row.token.tokenHash));
      return { ok: true as const, issued: { sessionId: row.session.id, userId: row.session.userId, ...next } };
    }),
  );
  // Thrown after the commit, so a detected reuse stays revoked.
  if (!outcome.ok) {
    if ('revoked' in outcome && outcome.revoked) onRevoked?.(outcome.revoked);
    throw unauthenticated('The refresh token is invalid, expired or was already used.');
  }
  return outcome.issued;
}

/** The successor `token` was exchanged for, if it can be opened and nobody has exchanged it in turn. */
async function unusedSuccessor(
  tx: UserTx,
  exchanged: typeof refreshTokens.$inferSelect,
  token: string,
): Promise<{ refreshToken: string; expiresAt: Date } | undefined> {
  const successor = exchanged.successorSealed ? openSuccessor(token, exchanged.successorSealed) : undefined;
  if (!successor) return undefined;
  const [next] = await tx
    .select()
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, hashToken(successor)), eq(refreshTokens.sessionId, exchanged.sessionId)))
    .for('update');
  if (!next || next.usedAt || next.expiresAt.getTime() <= Date.now()) return undefined;
  return { refreshToken: successor, expiresAt: next.expiresAt };
}

/** Ends a session; its refresh tokens stop working at once, access tokens at their expiry. */
export async function revokeSession(db: UserDb, sessionId: string, userId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`CURRENT_TIMESTAMP(3)`, revokedReason: 'sign-out' })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

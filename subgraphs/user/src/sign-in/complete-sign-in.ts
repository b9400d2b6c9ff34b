import { issueAccessToken } from '@letstalk/auth';
import { retryingRaces } from '@letstalk/db';
import { writeWithEvents } from '@letstalk/events';
import type { UserContext } from '../context.ts';
import { createSession } from '../data/session-repository.ts';
import { findOrCreateUser, type ExternalIdentity, type UserRow } from '../data/user-repository.ts';

export interface AuthResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  isNewUser: boolean;
  user: UserRow;
}

/** Issues the access token for a session whose refresh token was just created or rotated. */
export async function tokensFor(
  context: UserContext,
  session: { userId: string; sessionId: string; refreshToken: string; expiresAt: Date },
) {
  const { env, signingKey } = context.services;
  const access = await issueAccessToken(
    signingKey,
    { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
    { userId: session.userId, sessionId: session.sessionId },
  );
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: session.refreshToken,
    refreshTokenExpiresAt: session.expiresAt,
  };
}

/**
 * The end of every sign-in method: find or create the account and start a session, in one transaction
 * (nothing half-written), then sign the access token.
 */
export async function completeSignIn(context: UserContext, identity: ExternalIdentity): Promise<AuthResult> {
  // Two first sign-ins of one person at once: one creates the account; the other loses on its unique
  // key (or a deadlock) and, run again, finds it.
  const { user, isNewUser, session } = await writeWithEvents(
    context.services.relay,
    () =>
      retryingRaces(() =>
        context.db.transaction(async (tx) => {
          const found = await findOrCreateUser(tx, identity);
          return { ...found, session: await createSession(tx, found.user.id) };
        }),
      ),
    (signedIn) => signedIn.isNewUser,
  );
  if (isNewUser) {
    context.log.info({ userId: user.id, provider: identity.provider }, 'account created');
  }
  context.signedInUserId = user.id;
  return { ...(await tokensFor(context, session)), isNewUser, user };
}

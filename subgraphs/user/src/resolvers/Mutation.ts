import { z } from 'zod';
import { appError, badUserInput, forbidden, notFound, unauthenticated } from '@letstalk/errors';
import { publishSessionEnded, writeWithEvents } from '@letstalk/events';
import type { UserContext } from '../context.ts';
import { revokeSession, rotateRefreshToken } from '../data/session-repository.ts';
import { deleteAccount, isOwnAvatarImage, updateUserProfile } from '../data/user-repository.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import {
  ACCOUNT_DELETION_SIGN_IN_WINDOW_MS,
  EMAIL_CODE_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_FACEBOOK_TOKEN_LENGTH,
  MAX_ID_TOKEN_LENGTH,
  MAX_NAME_LENGTH,
  MAX_REFRESH_TOKEN_LENGTH,
} from '../limits.ts';
import { clientNetwork, consumePoint, parseUuid, requireViewer } from '@letstalk/server';
import { completeSignIn, tokensFor } from '../sign-in/complete-sign-in.ts';
import { checkSignInCode, requestSignInCode } from '../sign-in/email-code.ts';

const emailSchema = z.email().max(MAX_EMAIL_LENGTH);

function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw badUserInput('Enter a valid email address.', 'email');
  return email;
}

function requireLength(value: string, max: number, field: string): string {
  if (value.length === 0 || value.length > max) throw badUserInput(`${field} must be 1 to ${max} characters.`, field);
  return value;
}

function profileName(input: string, field: string): string {
  const name = input.trim();
  if (/\p{Cc}/u.test(name)) throw badUserInput(`${field} may not contain control characters.`, field);
  return requireLength(name, MAX_NAME_LENGTH, field);
}

const providerSignIn = (context: UserContext) =>
  consumePoint(context.services.limits.providerSignInPerIp, clientNetwork(context.clientIp));

/**
 * Tells every gateway that a session ended (signed out, or revoked for a reused refresh token): its live
 * connections close and its access tokens are refused at once instead of at their expiry. NATS core, after
 * the commit; the session is revoked whether or not this reaches NATS (the tokens then end at expiry).
 */
function endSessionLive(context: UserContext, session: { sessionId: string; userId: string }): void {
  try {
    publishSessionEnded(context.services.nc, session);
  } catch (error) {
    context.log.warn({ err: error, sessionId: session.sessionId }, 'could not announce the end of a session');
  }
}

export const Mutation: MutationResolvers<UserContext> = {
  async signInWithOidc(_parent, { provider, idToken }, context) {
    requireLength(idToken, MAX_ID_TOKEN_LENGTH, 'idToken');
    await providerSignIn(context);
    const identity = await context.services.verifyIdToken(provider, idToken);
    return completeSignIn(context, identity);
  },

  async signInWithFacebook(_parent, { accessToken }, context) {
    const verify = context.services.verifyFacebookToken;
    if (!verify) throw forbidden('Facebook sign-in is not enabled on this server.');
    requireLength(accessToken, MAX_FACEBOOK_TOKEN_LENGTH, 'accessToken');
    await providerSignIn(context);
    return completeSignIn(context, await verify(accessToken));
  },

  async requestEmailCode(_parent, args, context) {
    const send = context.services.sendSignInCode;
    if (!send) throw forbidden('Email sign-in is not enabled on this server.');
    const email = normalizeEmail(args.email);
    const { expiresAt } = await requestSignInCode(context, email, send);
    return { email, codeLength: EMAIL_CODE_LENGTH, expiresAt };
  },

  async signInWithEmailCode(_parent, args, context) {
    const email = normalizeEmail(args.email);
    const code = args.code.trim();
    if (!new RegExp(`^\\d{${EMAIL_CODE_LENGTH}}$`).test(code)) {
      throw badUserInput(`The code has ${EMAIL_CODE_LENGTH} digits.`, 'code');
    }
    await checkSignInCode(context, email, code);
    return completeSignIn(context, { provider: 'email', subject: email, verifiedEmail: email });
  },

  async refreshSession(_parent, { refreshToken }, context) {
    requireLength(refreshToken, MAX_REFRESH_TOKEN_LENGTH, 'refreshToken');
    const session = await rotateRefreshToken(context.db, refreshToken, (revoked) => endSessionLive(context, revoked));
    const user = await context.loaders.user.load(session.userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    context.signedInUserId = user.id;
    return { ...(await tokensFor(context, session)), isNewUser: false, user };
  },

  async signOut(_parent, _args, context) {
    const viewer = requireViewer(context);
    await revokeSession(context.db, viewer.sessionId, viewer.userId);
    endSessionLive(context, viewer);
    return true;
  },

  async deleteAccount(_parent, _args, context) {
    const viewer = requireViewer(context);
    const deleted = await writeWithEvents(
      context.services.relay,
      () => deleteAccount(context.db, viewer.userId, viewer.sessionId, ACCOUNT_DELETION_SIGN_IN_WINDOW_MS),
      (outcome) => typeof outcome === 'object',
    );
    if (deleted === 'not-recent') {
      throw appError('FORBIDDEN', 'Sign in again to delete your account.', { reason: 'RECENT_SIGN_IN_REQUIRED' });
    }
    if (!deleted) throw unauthenticated('The account no longer exists.');
    context.services.profiles.delete(viewer.userId);
    for (const sessionId of deleted.sessionIds) endSessionLive(context, { sessionId, userId: viewer.userId });
    return true;
  },

  async updateProfile(_parent, { input }, context) {
    const viewer = requireViewer(context);
    const changes: { firstName?: string; lastName?: string; avatarImageId?: string | null } = {};
    if (input.firstName != null) changes.firstName = profileName(input.firstName, 'firstName');
    if (input.lastName != null) changes.lastName = profileName(input.lastName, 'lastName');
    const imageId = input.avatarImageId == null ? input.avatarImageId : parseUuid(input.avatarImageId, 'avatarImageId');
    // Every change is an event kept in the events stream; counted before any wait for a just-uploaded image.
    await consumePoint(context.services.limits.profileUpdatesPerUser, viewer.userId);
    if (imageId === null) changes.avatarImageId = null;
    else if (imageId !== undefined) {
      // Only the uploader's own AVATAR upload; anyone else's is NOT_FOUND.
      if (!(await isOwnAvatarImage(context.db, viewer.userId, imageId))) throw notFound('No such image.');
      changes.avatarImageId = imageId;
    }
    const user = await writeWithEvents(
      context.services.relay,
      () => updateUserProfile(context.db, viewer.userId, changes),
      (updated) => updated !== undefined,
    );
    if (!user) throw unauthenticated('The account no longer exists.');
    context.services.profiles.set(user.id, user);
    return user;
  },
};

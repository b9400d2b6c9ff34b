import { and, asc, eq, gt, inArray, isNull, like, ne, or, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { enqueueEvent, userCreated, userUpdated } from '@letstalk/events';
import { lookAgain } from '@letstalk/server';
import type { UserDb, UserTx } from './tables.ts';
import { KNOWN_AVATAR_WAIT_MS } from '../limits.ts';
import { deleteNotificationData } from './notification-repository.ts';
import { avatarImages, emailCodes, identities, refreshTokens, sessions, users } from './tables.ts';

export type UserRow = typeof users.$inferSelect;

const NEW_USER_DISPLAY_NAME = 'New user';
/** Who sent the messages of an account deleted since. */
const DELETED_USER_DISPLAY_NAME = 'Deleted user';

/** The name a person is shown by: "First Last", "New user" before they gave one, "Deleted user" once gone. */
export const displayNameOf = (user: Pick<UserRow, 'firstName' | 'lastName' | 'deletedAt'>) =>
  user.deletedAt ? DELETED_USER_DISPLAY_NAME : `${user.firstName} ${user.lastName}`.trim() || NEW_USER_DISPLAY_NAME;

/** What a sign-in method learned about the person from their provider. */
export interface ExternalIdentity {
  provider: string;
  subject: string;
  /** Set only when the provider vouches for the address (a verified email). */
  verifiedEmail?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

const sortNameOf = (firstName: string, lastName: string) => `${firstName} ${lastName}`.trim().toLowerCase();

export async function findUsersByIds(db: UserDb, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(users)
    .where(inArray(users.id, [...ids]));
}

/**
 * Returns the user linked to the identity, creating the account on first use. An identity whose
 * provider verified an email that an account already holds is linked to that account (one person,
 * several ways to sign in). Runs inside the caller's transaction.
 */
export async function findOrCreateUser(
  tx: UserTx,
  identity: ExternalIdentity,
): Promise<{ user: UserRow; isNewUser: boolean }> {
  const [linked] = await tx
    .select({ user: users })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.provider, identity.provider), eq(identities.subject, identity.subject)));
  if (linked) return { user: linked.user, isNewUser: false };

  if (identity.verifiedEmail) {
    const [byEmail] = await tx.select().from(users).where(eq(users.email, identity.verifiedEmail)).for('update');
    if (byEmail) {
      await tx
        .insert(identities)
        .values({ provider: identity.provider, subject: identity.subject, userId: byEmail.id });
      return { user: byEmail, isNewUser: false };
    }
  }

  const firstName = clip(identity.firstName);
  const lastName = clip(identity.lastName);
  const id = uuidv7();
  await tx.insert(users).values({
    id,
    email: identity.verifiedEmail ?? null,
    firstName,
    lastName,
    sortName: sortNameOf(firstName, lastName),
  });
  await tx.insert(identities).values({ provider: identity.provider, subject: identity.subject, userId: id });
  const [user] = await tx.select().from(users).where(eq(users.id, id));
  if (!user) throw new Error('user vanished inside its own transaction');
  await enqueueEvent(tx, userCreated, { userId: id, createdAt: user.createdAt.toISOString() });
  return { user, isNewUser: true };
}

/** Names from a provider are trimmed and cut to the profile limit rather than refused. */
function clip(name: string | undefined): string {
  return (name ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 64);
}

/** Changes a profile (the fields given) and announces it, with the picture it replaced, if any. */
export async function updateUserProfile(
  db: UserDb,
  userId: string,
  changes: { firstName?: string; lastName?: string; avatarImageId?: string | null },
) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) return undefined;
    const firstName = changes.firstName ?? before.firstName;
    const lastName = changes.lastName ?? before.lastName;
    const avatarImageId = changes.avatarImageId === undefined ? before.avatarImageId : changes.avatarImageId;
    await tx
      .update(users)
      .set({
        firstName,
        lastName,
        sortName: sortNameOf(firstName, lastName),
        avatarImageId,
        updatedAt: sql`CURRENT_TIMESTAMP(3)`,
      })
      .where(eq(users.id, userId));
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) return undefined;
    const replaced = before.avatarImageId && before.avatarImageId !== avatarImageId ? before.avatarImageId : null;
    // A replaced picture is deleted by the media subgraph: it can no longer be picked again.
    if (replaced)
      await tx.delete(avatarImages).where(and(eq(avatarImages.ownerId, userId), eq(avatarImages.imageId, replaced)));
    await enqueueEvent(tx, userUpdated, {
      userId,
      firstName,
      lastName,
      avatarImageId,
      replacedAvatarImageId: replaced,
      updatedAt: user.updatedAt.toISOString(),
    });
    return user;
  });
}

/** Records an image uploaded for AVATAR, announced by `media.image.uploaded` (idempotent). */
export async function recordAvatarImage(db: UserDb, ownerId: string, imageId: string): Promise<void> {
  await db.insert(avatarImages).values({ ownerId, imageId }).onDuplicateKeyUpdate({ set: { imageId } });
}

/**
 * Whether `imageId` is an avatar upload of `ownerId`. One of a moment ago may not have reached this
 * subgraph yet, so it is looked up again for up to {@link KNOWN_AVATAR_WAIT_MS}.
 */
export function isOwnAvatarImage(db: UserDb, ownerId: string, imageId: string): Promise<boolean> {
  return lookAgain(async () => {
    const [found] = await db
      .select({ imageId: avatarImages.imageId })
      .from(avatarImages)
      .where(and(eq(avatarImages.ownerId, ownerId), eq(avatarImages.imageId, imageId)));
    return found !== undefined;
  }, KNOWN_AVATAR_WAIT_MS);
}

/**
 * A page of the directory, ordered by (sort name, id) so that the cursor (the last row's key) stays valid
 * while people join or rename. People without a name are found only by their exact email.
 */
export async function searchUsers(
  db: UserDb,
  options: { search: string; first: number; after?: { sortName: string; id: string } | undefined },
): Promise<UserRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (options.search) {
    const prefix = `${escapeLike(options.search)}%`;
    conditions.push(
      or(
        and(ne(users.sortName, ''), like(users.sortName, prefix)),
        and(ne(users.sortName, ''), like(users.lastName, prefix)),
        eq(users.email, options.search),
      ),
    );
  } else {
    conditions.push(ne(users.sortName, ''));
  }
  if (options.after) {
    conditions.push(
      or(
        gt(users.sortName, options.after.sortName),
        and(eq(users.sortName, options.after.sortName), gt(users.id, options.after.id)),
      ),
    );
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.sortName), asc(users.id))
    .limit(options.first + 1);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * Deletes an account for good, if it was signed in to within `window` ms by `sessionId`: every sign-in method,
 * session and refresh token, the pictures it uploaded for its profile, its name and email. The row stays as a
 * tombstone, so its messages in others' chats keep a sender. `user.updated` tells the other subgraphs (the media
 * worker deletes the picture). Resolves with the sessions that were open, 'not-recent', or undefined when the
 * account is gone already.
 */
export async function deleteAccount(
  db: UserDb,
  userId: string,
  sessionId: string,
  window: number,
): Promise<{ sessionIds: string[] } | 'not-recent' | undefined> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user || user.deletedAt) return undefined;
    const [session] = await tx
      .select({ createdAt: sessions.createdAt })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    if (!session || session.createdAt.getTime() < Date.now() - window) return 'not-recent';
    const all = await tx
      .select({ id: sessions.id, revokedAt: sessions.revokedAt })
      .from(sessions)
      .where(eq(sessions.userId, userId));
    const now = new Date();
    await tx
      .update(sessions)
      .set({ revokedAt: now, revokedReason: 'account-deleted' })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    if (all.length > 0)
      await tx.delete(refreshTokens).where(
        inArray(
          refreshTokens.sessionId,
          all.map((row) => row.id),
        ),
      );
    await tx.delete(identities).where(eq(identities.userId, userId));
    if (user.email) await tx.delete(emailCodes).where(eq(emailCodes.email, user.email));
    await tx.delete(avatarImages).where(eq(avatarImages.ownerId, userId));
    await deleteNotificationData(tx, userId);
    await tx
      .update(users)
      .set({
        email: null,
        firstName: '',
        lastName: '',
        sortName: '',
        avatarImageId: null,
        deletedAt: now,
        updatedAt: now,
      })
      .where(eq(users.id, userId));
    await enqueueEvent(tx, userUpdated, {
      userId,
      firstName: '',
      lastName: '',
      avatarImageId: null,
      replacedAvatarImageId: user.avatarImageId,
      updatedAt: now.toISOString(),
      deleted: true,
    });
    return { sessionIds: all.filter((row) => row.revokedAt === null).map((row) => row.id) };
  });
}

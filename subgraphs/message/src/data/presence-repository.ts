import { and, eq, inArray, ne, or } from 'drizzle-orm';
import { retryingRaces } from '@letstalk/db';
import { enqueueEvent, presenceChanged } from '@letstalk/events';
import { chatMembers, userBlocks, userChats, userPresence, type MessageDb, type MessageTx } from './tables.ts';

export type PresenceRow = typeof userPresence.$inferSelect;
export type PresenceStatus = PresenceRow['status'];

/** The stored presence of each of `userIds` that has a row (a person never seen has none: OFFLINE). */
export async function findPresence(db: MessageDb, userIds: readonly string[]): Promise<PresenceRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(userPresence)
    .where(inArray(userPresence.userId, [...userIds]));
}

/**
 * Sets a person's presence to the status `read` returns, under their row's lock (so two handlers of one person's
 * events settle one after the other, the later one on the later state of the presence bucket). Going OFFLINE
 * records when they were last seen: `seenAt` (when their last socket closed, as a gateway said) or the time of the
 * read; a later `seenAt` for someone OFFLINE already moves it (a gateway's word arriving after the sweeper's).
 * Returns the row as it is now and whether what others may see changed.
 */
export function settlePresence(
  db: MessageDb,
  userId: string,
  read: () => Promise<PresenceStatus>,
  seenAt?: Date,
): Promise<{ row: PresenceRow; changed: boolean }> {
  return retryingRaces(() =>
    db.transaction(async (tx) => {
      await tx.insert(userPresence).ignore().values({ userId, status: 'OFFLINE' });
      const [row] = await tx.select().from(userPresence).where(eq(userPresence.userId, userId)).for('update');
      if (!row) throw new Error('a presence row that was just made is missing');
      const status = await read();
      const now = new Date();
      let lastSeenAt = row.lastSeenAt;
      if (status === 'OFFLINE' && row.status !== 'OFFLINE') lastSeenAt = seenAt ?? now;
      else if (status === 'OFFLINE' && seenAt && (!lastSeenAt || seenAt > lastSeenAt)) lastSeenAt = seenAt;
      if (status === row.status && lastSeenAt === row.lastSeenAt) return { row, changed: false };
      await tx.update(userPresence).set({ status, lastSeenAt, changedAt: now }).where(eq(userPresence.userId, userId));
      return { row: { ...row, status, lastSeenAt, changedAt: now }, changed: true };
    }),
  );
}

/** Hides or shows a person's presence; the change is a `presence.changed` (cause HIDDEN) in the same transaction. */
export async function setPresenceHidden(tx: MessageTx, userId: string, hidden: boolean): Promise<string> {
  // Its own transaction, run again by its caller when it loses a race with a settle of the same row.
  const now = new Date();
  await tx
    .insert(userPresence)
    .values({ userId, status: 'OFFLINE', hidden, changedAt: now })
    .onDuplicateKeyUpdate({ set: { hidden } });
  return enqueueEvent(tx, presenceChanged, { userId, cause: 'HIDDEN', at: now.toISOString() });
}

/** People whose stored status is ONLINE or AWAY (the sweeper checks them against the bucket). */
export async function findConnected(db: MessageDb): Promise<string[]> {
  const rows = await db
    .select({ userId: userPresence.userId })
    .from(userPresence)
    .where(ne(userPresence.status, 'OFFLINE'));
  return rows.map((row) => row.userId);
}

/** Everyone who shares at least one chat with `userId` (them included when they are in any chat). */
export async function findChatPartners(db: MessageDb, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: chatMembers.userId })
    .from(userChats)
    .innerJoin(chatMembers, eq(chatMembers.chatId, userChats.chatId))
    .where(eq(userChats.userId, userId));
  return rows.map((row) => row.userId);
}

/** Which of `userIds` share at least one chat with `viewerId`. */
export async function partnersAmong(db: MessageDb, viewerId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ userId: chatMembers.userId })
    .from(userChats)
    .innerJoin(chatMembers, eq(chatMembers.chatId, userChats.chatId))
    .where(and(eq(userChats.userId, viewerId), inArray(chatMembers.userId, [...userIds])));
  return new Set(rows.map((row) => row.userId));
}

/** Which of `userIds` blocked `userId` or were blocked by them. */
export async function blockedEitherWayAmong(
  db: MessageDb,
  userId: string,
  userIds: readonly string[] | undefined,
): Promise<Set<string>> {
  if (userIds?.length === 0) return new Set();
  const among = (column: typeof userBlocks.blockerId | typeof userBlocks.blockedId) =>
    userIds ? [inArray(column, [...userIds])] : [];
  const rows = await db
    .select({ blockerId: userBlocks.blockerId, blockedId: userBlocks.blockedId })
    .from(userBlocks)
    .where(
      or(
        and(eq(userBlocks.blockerId, userId), ...among(userBlocks.blockedId)),
        and(eq(userBlocks.blockedId, userId), ...among(userBlocks.blockerId)),
      ),
    );
  return new Set(rows.map((row) => (row.blockerId === userId ? row.blockedId : row.blockerId)));
}

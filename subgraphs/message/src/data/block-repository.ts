import { and, count, desc, eq, inArray, or } from 'drizzle-orm';
import { userBlocks, type MessageDb, type MessageTx } from './tables.ts';

/**
 * Blocks `blockedId` for `blockerId`, once; 'full' when `blockerId` has `limit` people blocked already (counted
 * without a lock: requests of one person at the same moment may pass it together, a few over at most, which is
 * all the limit is for: bounding one person's list).
 */
export async function blockUser(
  db: MessageDb,
  blockerId: string,
  blockedId: string,
  limit: number,
): Promise<'blocked' | 'full'> {
  const [row] = await db.select({ count: count() }).from(userBlocks).where(eq(userBlocks.blockerId, blockerId));
  if (Number(row?.count ?? 0) >= limit) {
    const [already] = await db
      .select({ one: userBlocks.blockedId })
      .from(userBlocks)
      .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)));
    return already ? 'blocked' : 'full';
  }
  await db.insert(userBlocks).ignore().values({ blockerId, blockedId, createdAt: new Date() });
  return 'blocked';
}

export async function unblockUser(db: MessageDb, blockerId: string, blockedId: string): Promise<void> {
  await db.delete(userBlocks).where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)));
}

/** The people `blockerId` blocked, the latest first. */
export async function findBlocked(db: MessageDb, blockerId: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: userBlocks.blockedId })
    .from(userBlocks)
    .where(eq(userBlocks.blockerId, blockerId))
    .orderBy(desc(userBlocks.createdAt), desc(userBlocks.blockedId))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Which of `userIds` blocked `blockedId` (one range of the second index). */
export async function blockersAmong(db: MessageDb, userIds: readonly string[], blockedId: string): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ id: userBlocks.blockerId })
    .from(userBlocks)
    .where(and(eq(userBlocks.blockedId, blockedId), inArray(userBlocks.blockerId, [...userIds])));
  return rows.map((row) => row.id);
}

/** Whether either of two people blocked the other. */
export async function blockedEitherWay(db: MessageDb | MessageTx, a: string, b: string): Promise<boolean> {
  const [row] = await db
    .select({ one: userBlocks.blockerId })
    .from(userBlocks)
    .where(
      or(
        and(eq(userBlocks.blockerId, a), eq(userBlocks.blockedId, b)),
        and(eq(userBlocks.blockerId, b), eq(userBlocks.blockedId, a)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Whether a chat is the direct chat of two people one of whom blocked the other. */
export async function blockedInDirectChat(
  db: MessageDb | MessageTx,
  chat: { kind: string; directKey: string | null },
): Promise<boolean> {
  if (chat.kind !== 'DIRECT' || !chat.directKey) return false;
  const [a, b] = chat.directKey.split(':') as [string, string];
  return a !== b && (await blockedEitherWay(db, a, b));
}

import { inArray } from 'drizzle-orm';
import { lookAgain } from '@letstalk/server';
import type { MessageDb } from './tables.ts';
import { KNOWN_USER_WAIT_MS } from '../limits.ts';
import { knownUsers } from './tables.ts';

/** Records an account announced by `user.created` (idempotent: redeliveries are harmless). */
export async function recordKnownUser(db: MessageDb, userId: string, createdAt: Date): Promise<void> {
  await db
    .insert(knownUsers)
    .values({ id: userId, createdAt })
    .onDuplicateKeyUpdate({ set: { id: userId } });
}

/**
 * The ids among `userIds` that are not accounts. An account created a moment ago may not have reached
 * this subgraph yet, so unknown ids are looked up again for up to {@link KNOWN_USER_WAIT_MS}.
 */
export async function unknownUsers(db: MessageDb, userIds: string[]): Promise<string[]> {
  let missing = [...new Set(userIds)];
  await lookAgain(async () => {
    if (missing.length === 0) return true;
    const found = new Set(
      (await db.select({ id: knownUsers.id }).from(knownUsers).where(inArray(knownUsers.id, missing))).map(
        (row) => row.id,
      ),
    );
    missing = missing.filter((id) => !found.has(id));
    return missing.length === 0;
  }, KNOWN_USER_WAIT_MS);
  return missing;
}

import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { retryingRaces } from '@letstalk/db';
import { MAX_PUSH_SUBSCRIPTIONS_PER_USER } from '../limits.ts';
import type { PushSubscriptionKeys } from '../notifications/push-subscription.ts';
import { notificationSettings, pushSubscriptions, type UserDb, type UserTx } from './tables.ts';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type NotificationSettingsRow = typeof notificationSettings.$inferSelect;

const hashOf = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');

/**
 * Stores a browser's push subscription for `userId` (a checked one: checkPushSubscription). An endpoint someone
 * else registered becomes theirs (the browser is now signed in as them); registering it again refreshes its keys.
 * Past MAX_PUSH_SUBSCRIPTIONS_PER_USER, the person's oldest are forgotten.
 */
export function registerPushSubscription(db: UserDb, userId: string, keys: PushSubscriptionKeys) {
  // Two registrations of one person at once lock their rows in either order: the loser of a deadlock runs again.
  return retryingRaces(() =>
    db.transaction(async (tx) => {
      const endpointHash = hashOf(keys.endpoint);
      const id = randomUUID();
      await tx
        .insert(pushSubscriptions)
        .values({ id, userId, endpointHash, ...keys, createdAt: new Date() })
        .onDuplicateKeyUpdate({ set: { userId, p256dh: keys.p256dh, auth: keys.auth, createdAt: new Date() } });
      const mine = await tx
        .select({ id: pushSubscriptions.id })
        .from(pushSubscriptions)
        .where(eq(pushSubscriptions.userId, userId))
        .orderBy(desc(pushSubscriptions.createdAt), desc(pushSubscriptions.id))
        .for('update');
      const forgotten = mine.slice(MAX_PUSH_SUBSCRIPTIONS_PER_USER).map((row) => row.id);
      if (forgotten.length > 0) await tx.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, forgotten));
      const [stored] = await tx
        .select()
        .from(pushSubscriptions)
        .where(eq(pushSubscriptions.endpointHash, endpointHash));
      if (!stored) throw new Error('a push subscription that was just stored is missing');
      return stored;
    }),
  );
}

/** Forgets one of the person's push subscriptions by its endpoint; whether there was one. */
export async function unregisterPushSubscription(db: UserDb, userId: string, endpoint: string): Promise<boolean> {
  const [result] = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.endpointHash, hashOf(endpoint)), eq(pushSubscriptions.userId, userId)));
  return result.affectedRows > 0;
}

/** A person's push subscriptions, newest first. */
export function pushSubscriptionsOf(db: UserDb, userId: string): Promise<PushSubscriptionRow[]> {
  return db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(desc(pushSubscriptions.createdAt));
}

/** Forgets a push subscription its push service said is gone (404 or 410). */
export async function deletePushSubscription(db: UserDb, id: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

const DEFAULT_SETTINGS = { showPreviews: true, emailDigest: true };

/** A person's notification settings (the defaults when they never changed them). */
export async function notificationSettingsOf(
  db: UserDb,
  userId: string,
): Promise<Omit<NotificationSettingsRow, 'userId'>> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, userId));
  return row ? { showPreviews: row.showPreviews, emailDigest: row.emailDigest } : DEFAULT_SETTINGS;
}

/** Changes some of a person's notification settings. */
export async function updateNotificationSettings(
  db: UserDb,
  userId: string,
  changes: Partial<Omit<NotificationSettingsRow, 'userId'>>,
): Promise<void> {
  await db
    .insert(notificationSettings)
    .values({ userId, ...DEFAULT_SETTINGS, ...changes })
    .onDuplicateKeyUpdate({ set: { userId, ...changes } });
}

/** Deletes everything notifications keep of a person (their account is being deleted). */
export async function deleteNotificationData(tx: UserTx, userId: string): Promise<void> {
  await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  await tx.delete(notificationSettings).where(eq(notificationSettings.userId, userId));
}

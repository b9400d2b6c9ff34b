import type { NatsConnection } from '@nats-io/transport-node';
import { asc, eq } from 'drizzle-orm';
import { answerDataExports, type DataExportLine } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { notificationSettingsOf } from '../data/notification-repository.ts';
import { identities, pushSubscriptions, sessions, users, type UserDb } from '../data/tables.ts';

/**
 * The user subgraph's part of a person's archive: profile.json (profile, sign-in methods, notification settings),
 * sessions.jsonl and push-subscriptions.jsonl (the browsers, without their keys).
 */
async function* userLines(db: UserDb, user: typeof users.$inferSelect): AsyncGenerator<DataExportLine> {
  const signInMethods = await db
    .select({ provider: identities.provider, subject: identities.subject, createdAt: identities.createdAt })
    .from(identities)
    .where(eq(identities.userId, user.id))
    .orderBy(asc(identities.createdAt));
  const { showPreviews, emailDigest } = await notificationSettingsOf(db, user.id);
  const { id, email, firstName, lastName, avatarImageId, createdAt, updatedAt } = user;
  yield {
    file: 'profile.json',
    line: JSON.stringify({
      id,
      email,
      firstName,
      lastName,
      avatarImageId,
      createdAt,
      updatedAt,
      signInMethods,
      notificationSettings: { showPreviews, emailDigest },
    }),
  };
  const sessionRows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      revokedAt: sessions.revokedAt,
      revokedReason: sessions.revokedReason,
    })
    .from(sessions)
    .where(eq(sessions.userId, user.id))
    .orderBy(asc(sessions.createdAt));
  for (const session of sessionRows) yield { file: 'sessions.jsonl', line: JSON.stringify(session) };
  const browsers = await db
    .select({ id: pushSubscriptions.id, endpoint: pushSubscriptions.endpoint, createdAt: pushSubscriptions.createdAt })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, user.id))
    .orderBy(asc(pushSubscriptions.createdAt));
  for (const browser of browsers) yield { file: 'push-subscriptions.jsonl', line: JSON.stringify(browser) };
}

/** Answers data-export requests with the user subgraph's parts, or refuses when the account is gone. */
export function startDataExportSource(options: { nc: NatsConnection; db: UserDb; database: string; log: Logger }) {
  const { db } = options;
  return answerDataExports({
    ...options,
    source: 'user',
    answer: async (userId) => {
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      return !user || user.deletedAt ? { refused: 'The account no longer exists.' } : userLines(db, user);
    },
  });
}

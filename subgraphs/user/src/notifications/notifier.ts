import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import nodemailer from 'nodemailer';
import { DeliverPolicy } from '@nats-io/jetstream';
import { chatRead, durableName, notificationRequested, startEventConsumer, stopConsumers } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import {
  deletePushSubscription,
  notificationSettingsOf,
  pushSubscriptionsOf,
} from '../data/notification-repository.ts';
import type { UserDb } from '../data/tables.ts';
import { displayNameOf, findUsersByIds } from '../data/user-repository.ts';
import type { VapidKeys } from './push-env.ts';
import { addToPending, dropRead, takeDue, type PendingRow } from './pending.ts';
import { createPushSender } from './push-sender.ts';

/** How often due notifications are looked for, and how many one look takes. */
const POLL_MS = 1_000;
const BATCH = 20;

/** How many messages a pending notification stands for. */
const messagesOf = (row: PendingRow) => row.lastSeq - row.firstSeq + 1;

/** What a notification says: a title and a body, or only that something came (showPreviews off). */
export function notificationText(row: PendingRow, senderName: string, showPreviews: boolean) {
  const count = messagesOf(row);
  const more = count > 1 ? ` (+${count - 1} more)` : '';
  if (!showPreviews) return { title: 'LetsTalk', body: count > 1 ? `${count} new messages` : 'New message' };
  const content = row.excerpt ?? (row.attachment === 'IMAGE' ? '📷 Photo' : row.attachment === 'FILE' ? '📎 File' : '');
  return row.chatKind === 'GROUP'
    ? { title: row.chatName ?? 'Group', body: `${senderName}: ${content}${more}` }
    : { title: senderName, body: `${content}${more}` };
}

/**
 * The notification worker (in the user subgraph's process: it owns the browsers, settings, names and addresses it
 * needs). It counts `message.notification-requested` into one pending notification per person and chat, drops it
 * when `chat.read` says they read the chat, and delivers what is due: a Web Push to every browser the person
 * registered (forgetting one its push service says is gone), or, without any, an email digest once
 * `emailDelayMs` passed since the first unread message, when they want one. Instances share the consumers and
 * take due rows with SKIP LOCKED, so each notification goes once.
 */
export async function startNotifier(options: {
  nc: NatsConnection;
  db: UserDb;
  database: string;
  vapid: VapidKeys | undefined;
  allowHosts: readonly string[];
  smtpUrl: string | undefined;
  from: string;
  emailDelayMs: number;
  log: Logger;
}) {
  const { db, log } = options;
  const push = options.vapid ? createPushSender({ vapid: options.vapid, allowHosts: options.allowHosts }) : undefined;
  const mail = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  const requests = await startEventConsumer({
    nc: options.nc,
    contract: notificationRequested,
    durable: durableName(options.database, 'notifications'),
    deliverPolicy: DeliverPolicy.New,
    log,
    handle: (event) => addToPending(db, event),
  });
  const reads = await startEventConsumer({
    nc: options.nc,
    contract: chatRead,
    durable: durableName(options.database, 'notifications-read'),
    deliverPolicy: DeliverPolicy.New,
    log,
    handle: (event) => dropRead(db, event.userId, event.chatId, event.readSeq),
  });

  const deliver = async (row: PendingRow): Promise<'done' | Date> => {
    const [[person, sender], settings, browsers] = await Promise.all([
      findUsersByIds(db, [row.userId, row.senderId]).then((users) => [
        users.find((user) => user.id === row.userId),
        users.find((user) => user.id === row.senderId),
      ]),
      notificationSettingsOf(db, row.userId),
      pushSubscriptionsOf(db, row.userId),
    ]);
    if (!person || person.deletedAt) return 'done';
    const text = notificationText(row, sender ? displayNameOf(sender) : 'Someone', settings.showPreviews);
    if (push && browsers.length > 0) {
      const payload = JSON.stringify({ ...text, chatId: row.chatId, messages: messagesOf(row) });
      // One topic per chat: a push service keeps only the latest of a chat for a browser that is off.
      const topic = createHash('sha256').update(row.chatId).digest('base64url').slice(0, 32);
      for (const browser of browsers) {
        const outcome = await push(browser, payload, topic);
        if (outcome === 'gone') await deletePushSubscription(db, browser.id);
        if (outcome === 'failed') log.warn({ userId: row.userId }, 'a push could not be delivered');
      }
      return 'done';
    }
    if (!mail || !settings.emailDigest || !person.email) return 'done';
    const sendAt = new Date(row.firstAt.getTime() + options.emailDelayMs);
    if (sendAt.getTime() > Date.now()) return sendAt;
    await mail.sendMail({
      from: options.from,
      to: person.email,
      subject: `${messagesOf(row)} unread message${messagesOf(row) > 1 ? 's' : ''} in ${text.title}`,
      text: `${text.title}\n\n${text.body}\n\nOpen LetsTalk to read ${messagesOf(row) > 1 ? 'them' : 'it'}.\n`,
    });
    return 'done';
  };

  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= takeDue(db, BATCH, (_tx, row) => deliver(row))
      .catch((error: unknown) => log.warn({ err: error }, 'delivering notifications failed; trying again'))
      .finally(() => {
        running = undefined;
      });
  }, POLL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await stopConsumers([requests, reads]);
    },
  };
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRead, connectNats, notificationRequested } from '@letstalk/events';
import { countMails, fakePushSubscription, publishEvent, startFakePushService } from '@letstalk/testing';
import { startUserHarness } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
let pushService: Awaited<ReturnType<typeof startFakePushService>>;
let nc: Awaited<ReturnType<typeof connectNats>>;
beforeAll(async () => {
  pushService = await startFakePushService();
  // A database of its own, so its worker's consumers are its own: the end-to-end stack beside it runs one too.
  harness = await startUserHarness({
    USER_DATABASE: 'letstalk_user_notifier_test',
    NOTIFIER_ENABLED: 'true',
    PUSH_ALLOW_HOSTS: '127.0.0.1',
    NOTIFICATION_EMAIL_DELAY_MS: '1000',
  });
  nc = await connectNats(harness.env.NATS_URL, 'notifier-test');
});
afterAll(async () => {
  await nc?.drain();
  await harness?.close();
  await pushService?.close();
});

/** A browser: its keys (to decrypt what it is pushed) and a subscription at the fake push service. */
const browser = (path: string) => fakePushSubscription(pushService.url, path);

const REGISTER = 'mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) { id } }';
const request = (chatId: string, seq: number, senderId: string, recipientIds: string[], excerpt = `message ${seq}`) =>
  publishEvent(nc, notificationRequested, {
    chatId,
    messageId: `${chatId}:${seq}`,
    seq,
    senderId,
    chatKind: 'GROUP',
    chatName: 'Climbing',
    excerpt,
    hasImage: false,
    hasFile: false,
    recipientIds,
    createdAt: new Date().toISOString(),
  });
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

describe('the notification worker', () => {
  it('pushes one encrypted, VAPID-signed notification for a burst, with previews or without', async () => {
    const [ada, bob, cy] = [
      await harness.signUpWithEmail(),
      await harness.signUpWithEmail(),
      await harness.signUpWithEmail(),
    ];
    await harness.call(
      'mutation { updateProfile(input: { firstName: "Bob", lastName: "Sender" }) { id } }',
      {},
      { token: bob.accessToken },
    );
    const [adas, cys] = [browser('ada'), browser('cy')];
    await harness.call(REGISTER, { input: adas.input }, { token: ada.accessToken });
    await harness.call(REGISTER, { input: cys.input }, { token: cy.accessToken });
    await harness.call(
      'mutation { updateNotificationSettings(input: { showPreviews: false }) { showPreviews } }',
      {},
      { token: cy.accessToken },
    );

    const chatId = randomUUID();
    await request(chatId, 1, bob.userId, [ada.userId, cy.userId]);
    await request(chatId, 2, bob.userId, [ada.userId, cy.userId], 'see you at 6');
    await request(chatId, 2, bob.userId, [ada.userId, cy.userId], 'see you at 6'); // handled twice: counts once
    const pushesTo = (path: string) => pushService.received.filter((push) => push.path.startsWith(`/push/${path}/`));
    await until('both pushes', () => pushesTo('ada').length === 1 && pushesTo('cy').length === 1);

    const [toAda] = pushesTo('ada');
    expect(toAda!.headers['content-encoding']).toBe('aes128gcm');
    expect(toAda!.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(toAda!.headers.ttl).toBe('86400');
    expect(toAda!.headers.topic).toMatch(/^[\w-]{32}$/);
    expect(adas.read(toAda!.body)).toMatchObject({
      title: 'Climbing',
      body: 'Bob Sender: see you at 6 (+1 more)',
      chatId,
      messages: 2,
    });
    expect(cys.read(pushesTo('cy')[0]!.body)).toMatchObject({ title: 'LetsTalk', body: '2 new messages' });
    // One burst, one push: nothing more comes for it.
    await new Promise((wait) => setTimeout(wait, 1_500));
    expect(pushesTo('ada')).toHaveLength(1);
  });

  it('sends nothing for a chat read in time, and forgets a browser its push service says is gone', async () => {
    const [dee, bob] = [await harness.signUpWithEmail(), await harness.signUpWithEmail()];
    const dees = browser('gone');
    await harness.call(REGISTER, { input: dees.input }, { token: dee.accessToken });
    const read = randomUUID();
    await request(read, 1, bob.userId, [dee.userId]);
    await publishEvent(nc, chatRead, { chatId: read, userId: dee.userId, readSeq: 1 });
    const unread = randomUUID();
    await request(unread, 1, bob.userId, [dee.userId]);
    const list = async () =>
      (await harness.call('{ notificationSettings { pushSubscriptions { id } } }', {}, { token: dee.accessToken })).data
        ?.notificationSettings.pushSubscriptions as unknown[];
    await until('the gone browser to be forgotten', async () => (await list()).length === 0);
    const toDee = pushService.pushesTo(dees.input);
    expect(toDee).toHaveLength(1);
    expect(dees.read(toDee[0]!.body)).toMatchObject({ chatId: unread });
  });

  it('emails a digest to someone without a browser once the delay has passed, unless they turned it off', async () => {
    const [eve, fay, bob] = [
      await harness.signUpWithEmail(),
      await harness.signUpWithEmail(),
      await harness.signUpWithEmail(),
    ];
    await harness.call(
      'mutation { updateNotificationSettings(input: { emailDigest: false }) { emailDigest } }',
      {},
      { token: fay.accessToken },
    );
    const before = {
      eve: await countMails(harness.smtp.inboxUrl, eve.email),
      fay: await countMails(harness.smtp.inboxUrl, fay.email),
    };
    await request(randomUUID(), 1, bob.userId, [eve.userId, fay.userId], 'are you coming?');
    await until('the digest', async () => (await countMails(harness.smtp.inboxUrl, eve.email)) === before.eve + 1);
    await new Promise((wait) => setTimeout(wait, 1_500));
    expect(await countMails(harness.smtp.inboxUrl, fay.email)).toBe(before.fay);
  });
});

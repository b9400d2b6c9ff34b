import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGroupChatDocument,
  MuteChatDocument,
  NotificationSettingsDocument,
  RegisterPushSubscriptionDocument,
  StartDirectChatDocument,
  UpdateNotificationSettingsDocument,
} from '@letstalk/sdk';
import { fakePushSubscription, startFakePushService, waitUntil } from '@letstalk/testing';
import { say, signUp, uniqueName, type Person } from './helpers.ts';

/**
 * Web Push through the whole stack: a message sent with the SDK to someone with no live connection reaches their
 * browser's push service (a fake on 127.0.0.1, which the stack may post to: PUSH_ALLOW_HOSTS), encrypted for that
 * browser, once the notification worker's 3 s to coalesce a burst have passed.
 */
let pushService: Awaited<ReturnType<typeof startFakePushService>>;
beforeAll(async () => {
  pushService = await startFakePushService();
});
afterAll(async () => {
  await pushService?.close();
});

/** How long a push may take: the burst's 3 s, the worker's polling, the consumers in between. */
const PUSH_WAIT = { timeoutMs: 20_000, intervalMs: 100 };

/** `person` registers a browser (with the SDK only: no socket, so never seen online) at the fake push service. */
async function withBrowser(person: Person, name: string) {
  const browser = fakePushSubscription(pushService.url, name);
  await person.client.request(RegisterPushSubscriptionDocument, { input: browser.input });
  const pushes = () => pushService.pushesTo(browser.input);
  return { ...browser, pushes, received: () => waitUntil(() => pushes().length > 0, `a push to ${name}`, PUSH_WAIT) };
}

/** Alice (her name is what Bob's notifications say) and Bob, signed up through the gateway. */
async function people() {
  const lastName = uniqueName();
  const [alice, bob] = await Promise.all(['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName })));
  return { alice: alice!, bob: bob!, aliceName: `Alice ${lastName}` };
}

describe('Web Push through the gateway', () => {
  it('pushes a message to a person with no live connection: the sender, the excerpt and the chat', async () => {
    const { alice, bob, aliceName } = await people();
    const bobs = await withBrowser(bob, 'bob');
    const { notificationSettings } = await bob.client.request(NotificationSettingsDocument);
    expect(notificationSettings.pushSubscriptions.map((known) => known.endpoint)).toEqual([bobs.input.endpoint]);
    expect(notificationSettings.vapidPublicKey).toMatch(/^[\w-]{87}$/);

    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, chat.id, 'see you at 6');
    await bobs.received();
    const [push] = bobs.pushes();
    expect(push!.headers['content-encoding']).toBe('aes128gcm');
    expect(bobs.read(push!.body)).toEqual({
      title: aliceName,
      body: 'see you at 6',
      chatId: chat.id,
      messages: 1,
    });
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('pushes nothing for a chat the person muted', async () => {
    const { alice, bob } = await people();
    const bobs = await withBrowser(bob, 'muted');
    const { createGroupChat: quiet } = await alice.client.request(CreateGroupChatDocument, {
      name: 'Quiet',
      memberIds: [bob.userId],
    });
    await bob.client.request(MuteChatDocument, { chatId: quiet.id });
    const { startDirectChat: direct } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, quiet.id, 'in the muted group');
    await say(alice, direct.id, 'in the direct chat');
    // The direct chat's push comes; the muted group's, requested before it if at all, never does.
    await bobs.received();
    await new Promise((wait) => setTimeout(wait, 1_500));
    expect(bobs.pushes().map((push) => bobs.read(push.body)['chatId'])).toEqual([direct.id]);
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('says only that a message came when the person turned previews off', async () => {
    const { alice, bob } = await people();
    const bobs = await withBrowser(bob, 'no-previews');
    await bob.client.request(UpdateNotificationSettingsDocument, { input: { showPreviews: false } });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, chat.id, 'a secret plan');
    await bobs.received();
    const text = bobs.decrypt(bobs.pushes()[0]!.body);
    expect(JSON.parse(text)).toEqual({ title: 'LetsTalk', body: 'New message', chatId: chat.id, messages: 1 });
    expect(text).not.toContain('secret');
    expect(text).not.toContain('Alice');
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });
});

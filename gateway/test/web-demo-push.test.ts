import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NotificationSettingsDocument, PresenceDocument, StartDirectChatDocument } from '@letstalk/sdk';
import {
  fakePushSubscription,
  launchBrowser,
  startFakePushService,
  waitUntil,
  type Browser,
  type Page,
} from '@letstalk/testing';
import { say, signUp as signUpThroughApi, uniqueName, type Person } from './helpers.ts';
import { apiOf, asPerson, signUp } from './web-demo-helpers.ts';

/**
 * Notifications in the demo web chat, in Chromium: turning them on registers the browser, a message to the person
 * while she is away reaches her browser's push service, and her service worker shows it. Chromium cannot reach a
 * real push service here, so `pushManager.subscribe` is replaced in the page by one that hands out a subscription
 * at a fake push service on 127.0.0.1, with keys made by the test, which so reads what the stack pushes. What the
 * push service would have delivered is then handed to the real service worker through the DevTools protocol.
 */
let browser: Browser;
let pushService: Awaited<ReturnType<typeof startFakePushService>>;
beforeAll(async () => {
  [browser, pushService] = await Promise.all([launchBrowser(), startFakePushService()]);
});
afterAll(async () => {
  await browser?.close();
  await pushService?.close();
});

/** In the page: `subscribe` gives `input` as a PushSubscription would (kept in localStorage across reloads). */
function fakeSubscribe(input: { endpoint: string; p256dh: string; auth: string }) {
  if (typeof PushManager === 'undefined') return;
  const KEY = 'test.push-subscription';
  const subscription = () => ({
    endpoint: input.endpoint,
    expirationTime: null,
    toJSON: () => ({
      endpoint: input.endpoint,
      expirationTime: null,
      keys: { p256dh: input.p256dh, auth: input.auth },
    }),
    unsubscribe: async () => (localStorage.removeItem(KEY), true),
  });
  PushManager.prototype.subscribe = async function () {
    localStorage.setItem(KEY, 'subscribed');
    return subscription() as unknown as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return (localStorage.getItem(KEY) ? subscription() : null) as unknown as PushSubscription | null;
  };
}

/** The notifications the demo's service worker is showing, as the page sees them. */
const shownNotifications = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const shown = (await registration?.getNotifications()) ?? [];
    return shown.map(({ title, body, tag, data }) => ({ title, body, tag, data: data as unknown }));
  });

/** Hands `data` to the demo's service worker as a push, as the browser does with what its push service delivers. */
async function deliverPush(page: Page, data: string) {
  const origin = new URL(inject('webDemoUrl')).origin;
  const cdp = await page.context().newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
  await cdp.send('ServiceWorker.enable');
  await waitUntil(() => registrations.some((known) => known.scopeURL === `${origin}/`), 'the service worker');
  const { registrationId } = registrations.find((known) => known.scopeURL === `${origin}/` && !known.isDeleted)!;
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data });
  await cdp.detach();
}

/**
 * Clicks the notification the service worker shows, as far as a test can: a `notificationclick` dispatched in the
 * service worker for it (not a person's click, so the browser may refuse it focus and opening windows).
 */
async function clickNotification(page: Page) {
  const worker = page
    .context()
    .serviceWorkers()
    .find((candidate) => candidate.url().endsWith('/sw.js'));
  if (!worker) throw new Error('no service worker');
  await worker.evaluate(async () => {
    // The service worker's global scope (this file compiles without the WebWorker types).
    const scope = self as unknown as {
      registration: ServiceWorkerRegistration;
      NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
      dispatchEvent(event: Event): boolean;
    };
    const [notification] = await scope.registration.getNotifications();
    scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: notification! }));
  });
}

/** Polls `viewer`'s answer for `userId`'s presence until it is OFFLINE (the stack's presence TTL is 4 s). */
const untilOffline = (viewer: Person, userId: string) =>
  waitUntil(
    async () => (await viewer.client.request(PresenceDocument, { userId })).presence.status === 'OFFLINE',
    'the person to be offline',
    { timeoutMs: 15_000, intervalMs: 200 },
  );

describe('notifications in the web demo', () => {
  it('registers the browser, is pushed a message while away, shows it, and opens its chat from the link', async () => {
    const origin = new URL(inject('webDemoUrl')).origin;
    const browserKeys = fakePushSubscription(pushService.url, 'web-demo');
    await asPerson(browser, 'web-demo-push', async (page) => {
      await page.context().grantPermissions(['notifications'], { origin });
      await page.context().addInitScript(fakeSubscribe, browserKeys.input);
      await signUp(page, 'Alice');
      const alice = await apiOf(page);
      const bobName = { firstName: 'Bob', lastName: uniqueName() };
      const bob = await signUpThroughApi(bobName);
      const { startDirectChat: chat } = await bob.client.request(StartDirectChatDocument, { userId: alice.userId });

      // Turned on: the browser is registered as Alice's.
      const notifications = page.getByTestId('notifications');
      await notifications.getByRole('button', { name: 'Turn on notifications' }).click();
      await notifications.getByRole('button', { name: 'Notifications on · Turn off' }).waitFor();
      const { notificationSettings } = await alice.client.request(NotificationSettingsDocument);
      expect(notificationSettings.pushSubscriptions.map((known) => known.endpoint)).toEqual([
        browserKeys.input.endpoint,
      ]);

      // Alice leaves the demo (a page of its origin without it: her sockets close) and is soon offline.
      await page.goto(new URL('config.json', inject('webDemoUrl')).href);
      await untilOffline(bob, alice.userId);
      await say(bob, chat.id, 'see you at 6');
      await waitUntil(() => pushService.pushesTo(browserKeys.input).length > 0, 'the push', { timeoutMs: 20_000 });
      const pushed = browserKeys.decrypt(pushService.pushesTo(browserKeys.input)[0]!.body);
      const bobsFullName = `${bobName.firstName} ${bobName.lastName}`;
      expect(JSON.parse(pushed)).toEqual({ title: bobsFullName, body: 'see you at 6', chatId: chat.id, messages: 1 });

      // The service worker shows what was pushed, tagged with the chat (the next push of the chat replaces it).
      await deliverPush(page, pushed);
      await waitUntil(async () => (await shownNotifications(page)).length > 0, 'the notification');
      expect(await shownNotifications(page)).toEqual([
        { title: bobsFullName, body: 'see you at 6', tag: `chat:${chat.id}`, data: { chatId: chat.id } },
      ]);

      // A click on it, with the demo open: the service worker tells the window, which opens the chat.
      await page.goto(inject('webDemoUrl'));
      await page.getByText('Pick a chat on the left.').waitFor();
      await clickNotification(page);
      await page.getByRole('heading', { name: bobsFullName }).waitFor();
      expect(await shownNotifications(page)).toEqual([]);

      // With no window of the demo open, a click opens it at ./?chat=<id>: that chat opens.
      await page.goto(`${inject('webDemoUrl')}?chat=${encodeURIComponent(chat.id)}`);
      await page.getByRole('heading', { name: bobsFullName }).waitFor();
      expect(new URL(page.url()).searchParams.has('chat')).toBe(false);

      // Turned off: unsubscribed, and the server forgets the browser.
      await notifications.getByRole('button', { name: 'Notifications on · Turn off' }).click();
      await notifications.getByRole('button', { name: 'Turn on notifications' }).waitFor();
      const after = await alice.client.request(NotificationSettingsDocument);
      expect(after.notificationSettings.pushSubscriptions).toEqual([]);

      // Signing out forgets the browser too (unregistered, then unsubscribed): the next person to use this browser is
      // not shown Alice's messages.
      await notifications.getByRole('button', { name: 'Turn on notifications' }).click();
      await notifications.getByRole('button', { name: 'Notifications on · Turn off' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      expect(await page.evaluate(() => localStorage.getItem('test.push-subscription'))).toBeNull();
      await Promise.all([alice.client.dispose(), bob.client.dispose()]);
    });
  }, 90_000);
});

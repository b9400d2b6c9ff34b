import {
  NotificationSettingsDocument,
  RegisterPushSubscriptionDocument,
  UnregisterPushSubscriptionDocument,
  type Session,
} from '@letstalk/sdk';

/** The demo's service worker, which vite.config.ts builds at the demo's root: its scope is the whole demo. */
const WORKER_URL = './sw.js';

/**
 * Whether this browser is told about the signed-in person's messages while they are away:
 * - `unsupported`: no service worker or Push API here (an http page other than localhost has none);
 * - `unavailable`: the server has no VAPID key, so push is off there;
 * - `blocked`: notifications for the demo were denied; only the browser's site settings change that;
 * - `on` when this browser's push subscription is registered as this person's, else `off`.
 */
export type PushStatus = 'unsupported' | 'unavailable' | 'blocked' | 'off' | 'on';

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** This browser's push subscription for the demo, if it has one. */
async function currentSubscription() {
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? undefined;
}

/** A VAPID public key (base64url, as the server gives it) as the bytes `pushManager.subscribe` takes. */
const bytesOf = (base64url: string) =>
  Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));

export async function pushStatus(session: Session): Promise<PushStatus> {
  if (!supported()) return 'unsupported';
  const { notificationSettings: settings } = await session.request(NotificationSettingsDocument);
  if (!settings.vapidPublicKey) return 'unavailable';
  if (Notification.permission === 'denied') return 'blocked';
  const subscription = Notification.permission === 'granted' ? await currentSubscription() : undefined;
  // Registered by someone else who signed in here before, it is theirs until this person turns notifications on.
  const registered = settings.pushSubscriptions.some((known) => known.endpoint === subscription?.endpoint);
  return registered ? 'on' : 'off';
}

/**
 * Asks the browser for permission (its own prompt), registers the service worker, subscribes with the server's
 * VAPID key and registers the subscription as the signed-in person's. A subscription the browser had is dropped
 * first: it may have been made with another key, and another person may have registered it.
 */
export async function turnOn(session: Session): Promise<PushStatus> {
  const { notificationSettings: settings } = await session.request(NotificationSettingsDocument);
  if (!settings.vapidPublicKey) return 'unavailable';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'blocked' : 'off';
  await navigator.serviceWorker.register(WORKER_URL);
  // Subscribing needs an active worker: `register` resolves before the worker is installed.
  const registration = await navigator.serviceWorker.ready;
  await (await registration.pushManager.getSubscription())?.unsubscribe();
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: bytesOf(settings.vapidPublicKey),
  });
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.['p256dh'] || !keys['auth']) throw new Error('The browser gave a subscription without keys.');
  await session.request(RegisterPushSubscriptionDocument, {
    input: { endpoint, p256dh: keys['p256dh'], auth: keys['auth'] },
  });
  return 'on';
}

/** Forgets this browser on the server first (so a failure leaves it on, as shown), then unsubscribes it. */
export async function turnOff(session: Session): Promise<PushStatus> {
  const subscription = await currentSubscription();
  if (subscription) {
    await session.request(UnregisterPushSubscriptionDocument, { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  return 'off';
}

/**
 * Signs out, forgetting this browser's push subscription first (as well as it can): left registered, it would show
 * the next person to use this browser the previews of the one who left.
 */
export async function signOut(session: Session): Promise<void> {
  if (supported()) await turnOff(session).catch(() => undefined);
  await session.signOut();
}

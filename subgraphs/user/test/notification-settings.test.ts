import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@letstalk/db';
import { MAX_PUSH_SUBSCRIPTIONS_PER_USER } from '../src/limits.ts';
import { startUserHarness } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
beforeAll(async () => {
  harness = await startUserHarness();
});
afterAll(() => harness?.close());

const SETTINGS = '{ showPreviews emailDigest vapidPublicKey pushSubscriptions { id endpoint createdAt } }';
const REGISTER = `mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) { id endpoint } }`;
const UNREGISTER = 'mutation($endpoint: String!) { unregisterPushSubscription(endpoint: $endpoint) }';
const UPDATE = `mutation($input: NotificationSettingsInput!) { updateNotificationSettings(input: $input) ${SETTINGS} }`;

/** A browser's subscription: a push service URL and real-sized keys. */
function browser(endpoint = `https://push.example.com/send/${randomUUID()}`) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe('notification settings and push subscriptions', () => {
  it('start at the defaults with the server’s VAPID key; settings change one field at a time', async () => {
    const ada = await harness.signUpWithEmail();
    const call = (query: string, variables = {}) => harness.call(query, variables, { token: ada.accessToken });
    const initial = (await call(`query ${SETTINGS.replace('{', '{ notificationSettings {')} }`)).data;
    expect(initial?.notificationSettings).toMatchObject({
      showPreviews: true,
      emailDigest: true,
      pushSubscriptions: [],
    });
    // A VAPID public key is an uncompressed P-256 point: 65 bytes.
    expect(Buffer.from(initial?.notificationSettings.vapidPublicKey as string, 'base64url')).toHaveLength(65);

    const quiet = await call(UPDATE, { input: { showPreviews: false } });
    expect(quiet.data?.updateNotificationSettings).toMatchObject({ showPreviews: false, emailDigest: true });
    const noMail = await call(UPDATE, { input: { emailDigest: false } });
    expect(noMail.data?.updateNotificationSettings).toMatchObject({ showPreviews: false, emailDigest: false });
    expect((await harness.call(UPDATE, { input: { emailDigest: true } })).code).toBe('UNAUTHENTICATED');
  });

  it(`registers browsers, newest first, at most ${MAX_PUSH_SUBSCRIPTIONS_PER_USER}; an endpoint moves to whoever registers it`, async () => {
    const [ada, bob] = [await harness.signUpWithEmail(), await harness.signUpWithEmail()];
    const as =
      (person: typeof ada) =>
      (query: string, variables = {}) =>
        harness.call(query, variables, { token: person.accessToken });
    const list = async (person: typeof ada) =>
      (
        (await as(person)('query { notificationSettings { pushSubscriptions { endpoint } } }')).data
          ?.notificationSettings.pushSubscriptions as { endpoint: string }[]
      ).map((row) => row.endpoint);

    const browsers = Array.from({ length: MAX_PUSH_SUBSCRIPTIONS_PER_USER + 1 }, () => browser());
    for (const each of browsers) {
      const registered = await as(ada)(REGISTER, { input: each });
      expect(registered.errors).toBeUndefined();
      await new Promise((wait) => setTimeout(wait, 5)); // distinct registration times
    }
    // The oldest is forgotten.
    expect(await list(ada)).toEqual(
      browsers
        .slice(1)
        .map((each) => each.endpoint)
        .reverse(),
    );

    // Bob signs in on Ada's newest browser: it is his now.
    const shared = browsers.at(-1)!;
    expect((await as(bob)(REGISTER, { input: { ...browser(shared.endpoint) } })).errors).toBeUndefined();
    expect(await list(bob)).toEqual([shared.endpoint]);
    expect(await list(ada)).not.toContain(shared.endpoint);

    // Unregistering takes only one's own.
    expect((await as(ada)(UNREGISTER, { endpoint: shared.endpoint })).data?.unregisterPushSubscription).toBe(false);
    expect((await as(bob)(UNREGISTER, { endpoint: shared.endpoint })).data?.unregisterPushSubscription).toBe(true);
    expect(await list(bob)).toEqual([]);
  });

  it('refuses an endpoint that is not a public https push service, and malformed keys', async () => {
    const ada = await harness.signUpWithEmail();
    const register = (input: Record<string, string>) =>
      harness.call(REGISTER, { input: { ...browser(), ...input } }, { token: ada.accessToken });
    for (const endpoint of ['http://push.example.com/x', 'https://127.0.0.1/x', 'https://192.168.1.1/x', 'nope']) {
      const refused = await register({ endpoint });
      expect(refused.code, endpoint).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.extensions?.field).toBe('endpoint');
    }
    expect((await register({ p256dh: 'AAAA' })).errors?.[0]?.extensions?.field).toBe('p256dh');
    expect((await register({ auth: 'AAAA' })).errors?.[0]?.extensions?.field).toBe('auth');
  });

  it('are deleted with the account', async () => {
    const ada = await harness.signUpWithEmail();
    await harness.call(REGISTER, { input: browser() }, { token: ada.accessToken });
    await harness.call(UPDATE, { input: { showPreviews: false } }, { token: ada.accessToken });
    expect((await harness.call('mutation { deleteAccount }', {}, { token: ada.accessToken })).data?.deleteAccount).toBe(
      true,
    );
    const pool = createPool(harness.env.DATABASE_URL, harness.env.USER_DATABASE, 1);
    try {
      const [rows] = await pool.query(
        'SELECT (SELECT COUNT(*) FROM push_subscriptions WHERE user_id = ?) + (SELECT COUNT(*) FROM notification_settings WHERE user_id = ?) AS n',
        [ada.userId, ada.userId],
      );
      expect(Number((rows as { n: number }[])[0]?.n)).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

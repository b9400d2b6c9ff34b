import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFacebookToken } from '@letstalk/testing';
import { ME, SIGN_IN_FACEBOOK, SIGN_IN_OIDC, startUserHarness, uniqueEmail } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
beforeAll(async () => {
  harness = await startUserHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('OIDC sign-in', () => {
  it('creates the account on first use and finds the same account the next time', async () => {
    const sub = randomUUID();
    const claims = { sub, email: uniqueEmail('oidc'), given_name: 'Ada', family_name: 'Lovelace' };
    const first = await harness.call(SIGN_IN_OIDC, {
      provider: 'test',
      idToken: await harness.oidc.signIdToken(claims),
    });
    expect(first.errors).toBeUndefined();
    expect(first.data?.signInWithOidc).toMatchObject({ isNewUser: true, user: { displayName: 'Ada Lovelace' } });
    const again = await harness.call(SIGN_IN_OIDC, {
      provider: 'test',
      idToken: await harness.oidc.signIdToken(claims),
    });
    expect(again.data?.signInWithOidc.isNewUser).toBe(false);
    expect(again.data?.signInWithOidc.user.id).toBe(first.data?.signInWithOidc.user.id);

    const me = await harness.call(ME, {}, { token: again.data?.signInWithOidc.accessToken });
    expect(me.data?.me).toEqual({
      id: first.data?.signInWithOidc.user.id,
      displayName: 'Ada Lovelace',
      email: claims.email,
    });
  });

  it('concurrent first sign-ins of one person create one account', async () => {
    const claims = { sub: randomUUID(), email: uniqueEmail('race') };
    const results = await Promise.all(
      Array.from({ length: 6 }, async () =>
        harness.call(SIGN_IN_OIDC, { provider: 'test', idToken: await harness.oidc.signIdToken(claims) }),
      ),
    );
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    const ids = new Set(results.map((result) => result.data?.signInWithOidc.user.id));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => result.data?.signInWithOidc.isNewUser)).toHaveLength(1);
  });

  it('links a verified email to the account that already has it', async () => {
    const person = await harness.signUpWithEmail();
    const idToken = await harness.oidc.signIdToken({ email: person.email, email_verified: true });
    const result = await harness.call(SIGN_IN_OIDC, { provider: 'test', idToken });
    expect(result.data?.signInWithOidc).toMatchObject({ isNewUser: false, user: { id: person.userId } });
  });

  it('does not link an unverified email', async () => {
    const person = await harness.signUpWithEmail();
    const idToken = await harness.oidc.signIdToken({ email: person.email, email_verified: false });
    const result = await harness.call(SIGN_IN_OIDC, { provider: 'test', idToken });
    expect(result.data?.signInWithOidc.isNewUser).toBe(true);
    expect(result.data?.signInWithOidc.user.id).not.toBe(person.userId);
  });

  it.each([
    ['a wrong audience', { aud: 'someone-else' }],
    ['a wrong issuer', { iss: 'https://evil.example' }],
    ['an expired token', { expiresIn: -120 }],
    ['a forged signature', { forged: true }],
  ])('refuses %s with UNAUTHENTICATED', async (_case, overrides) => {
    const idToken = await harness.oidc.signIdToken({ sub: randomUUID(), ...overrides });
    const result = await harness.call(SIGN_IN_OIDC, { provider: 'test', idToken });
    expect(result.code).toBe('UNAUTHENTICATED');
    expect(result.data).toBeNull();
  });

  it('refuses garbage, an unknown provider and an oversized token', async () => {
    expect((await harness.call(SIGN_IN_OIDC, { provider: 'test', idToken: 'not-a-jwt' })).code).toBe('UNAUTHENTICATED');
    const idToken = await harness.oidc.signIdToken({});
    expect((await harness.call(SIGN_IN_OIDC, { provider: 'nope', idToken })).code).toBe('BAD_USER_INPUT');
    expect((await harness.call(SIGN_IN_OIDC, { provider: 'test', idToken: 'x'.repeat(9000) })).code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('Facebook sign-in', () => {
  it('signs up, then signs in to the same account', async () => {
    const id = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    const token = await harness.facebook.issueToken({ id, first_name: 'Grace', last_name: 'Hopper' });
    const first = await harness.call(SIGN_IN_FACEBOOK, { token });
    expect(first.data?.signInWithFacebook).toMatchObject({ isNewUser: true, user: { displayName: 'Grace Hopper' } });
    const second = await harness.call(SIGN_IN_FACEBOOK, { token: await harness.facebook.issueToken({ id }) });
    expect(second.data?.signInWithFacebook.user.id).toBe(first.data?.signInWithFacebook.user.id);
  });

  it('refuses a token of another app and an unknown token', async () => {
    const otherApp = await requestFacebookToken(harness.facebook.url, { id: '1', app_id: '999' });
    expect((await harness.call(SIGN_IN_FACEBOOK, { token: otherApp })).code).toBe('UNAUTHENTICATED');
    expect((await harness.call(SIGN_IN_FACEBOOK, { token: 'EAAnot-issued' })).code).toBe('UNAUTHENTICATED');
  });
});

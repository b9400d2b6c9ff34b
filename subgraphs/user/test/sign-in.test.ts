import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMails, requestFacebookToken, waitForCode } from '@letstalk/testing';
import { createPool, type Pool } from '@letstalk/db';
import {
  EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR,
  REFRESH_REUSE_GRACE_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  SESSION_MAX_LIFETIME_SECONDS,
} from '../src/limits.ts';
import { AUTH_FIELDS, startUserHarness, uniqueEmail, uniqueIp } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
/** The subgraph's own database, to make time pass for one session (its rows only). */
let pool: Pool;
beforeAll(async () => {
  harness = await startUserHarness();
  pool = createPool(harness.env.DATABASE_URL, harness.env.USER_DATABASE, 2);
});
afterAll(async () => {
  await pool?.end();
  await harness?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const SIGN_IN_OIDC = `mutation($provider: String!, $idToken: String!) { signInWithOidc(provider: $provider, idToken: $idToken) { ${AUTH_FIELDS} } }`;
const SIGN_IN_FACEBOOK = `mutation($token: String!) { signInWithFacebook(accessToken: $token) { ${AUTH_FIELDS} } }`;
const REQUEST_CODE = `mutation($email: String!) { requestEmailCode(email: $email) { email codeLength expiresAt } }`;
const SIGN_IN_CODE = `mutation($email: String!, $code: String!) { signInWithEmailCode(email: $email, code: $code) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation($token: String!) { refreshSession(refreshToken: $token) { ${AUTH_FIELDS} } }`;
const ME = `{ me { id displayName email } }`;

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

describe('email code sign-in', () => {
  it('mails a 6-digit code that signs in once', async () => {
    const email = uniqueEmail();
    const ip = uniqueIp();
    const requested = await harness.call(REQUEST_CODE, { email: `  ${email.toUpperCase()} ` }, { ip });
    expect(requested.data?.requestEmailCode).toMatchObject({ email, codeLength: 6 });
    const code = await waitForCode(harness.smtp.inboxUrl, email);
    expect(code).toMatch(/^\d{6}$/);
    const signedIn = await harness.call(SIGN_IN_CODE, { email, code }, { ip });
    expect(signedIn.data?.signInWithEmailCode).toMatchObject({ isNewUser: true, user: { email } });
    const reused = await harness.call(SIGN_IN_CODE, { email, code }, { ip });
    expect(reused.code).toBe('UNAUTHENTICATED');
  });

  it('answers the same whether or not the account exists', async () => {
    const existing = await harness.signUpWithEmail();
    const fresh = uniqueEmail();
    const forExisting = await harness.call(REQUEST_CODE, { email: existing.email });
    const forNew = await harness.call(REQUEST_CODE, { email: fresh });
    expect(Object.keys(forExisting.data?.requestEmailCode ?? {})).toEqual(
      Object.keys(forNew.data?.requestEmailCode ?? {}),
    );
    expect(forExisting.errors).toBeUndefined();
    expect(forNew.errors).toBeUndefined();
  });

  it(`destroys the code after ${EMAIL_CODE_MAX_ATTEMPTS} wrong tries`, async () => {
    const email = uniqueEmail();
    await harness.call(REQUEST_CODE, { email });
    const code = await waitForCode(harness.smtp.inboxUrl, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < EMAIL_CODE_MAX_ATTEMPTS; attempt += 1) {
      expect((await harness.call(SIGN_IN_CODE, { email, code: wrong })).code).toBe('UNAUTHENTICATED');
    }
    expect((await harness.call(SIGN_IN_CODE, { email, code })).code).toBe('UNAUTHENTICATED');
  });

  it('lets a code survive fewer wrong tries', async () => {
    const email = uniqueEmail();
    await harness.call(REQUEST_CODE, { email });
    const code = await waitForCode(harness.smtp.inboxUrl, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < EMAIL_CODE_MAX_ATTEMPTS - 1; attempt += 1) {
      await harness.call(SIGN_IN_CODE, { email, code: wrong });
    }
    expect((await harness.call(SIGN_IN_CODE, { email, code })).errors).toBeUndefined();
  });

  it('only the newest code works', async () => {
    const email = uniqueEmail();
    await harness.call(REQUEST_CODE, { email });
    const older = await waitForCode(harness.smtp.inboxUrl, email);
    await harness.call(REQUEST_CODE, { email });
    const newer = await waitForCode(harness.smtp.inboxUrl, email, 1);
    if (older !== newer)
      expect((await harness.call(SIGN_IN_CODE, { email, code: older })).code).toBe('UNAUTHENTICATED');
    expect((await harness.call(SIGN_IN_CODE, { email, code: newer })).errors).toBeUndefined();
  });

  it(`rate-limits code requests per address and network (${EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR} an hour); another network still gets one`, async () => {
    const email = uniqueEmail();
    const ip = uniqueIp();
    for (let request = 0; request < EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR; request += 1) {
      expect((await harness.call(REQUEST_CODE, { email }, { ip })).errors).toBeUndefined();
    }
    const limited = await harness.call(REQUEST_CODE, { email }, { ip });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect((await harness.call(REQUEST_CODE, { email })).errors).toBeUndefined();
    await new Promise((wait) => setTimeout(wait, 300));
    expect(await countMails(harness.smtp.inboxUrl, email)).toBe(EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR + 1);
  });

  it(`rate-limits code requests per address across networks (${EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR} an hour)`, async () => {
    const email = uniqueEmail();
    for (let request = 0; request < EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR; request += 1) {
      expect((await harness.call(REQUEST_CODE, { email })).errors).toBeUndefined();
    }
    const limited = await harness.call(REQUEST_CODE, { email });
    expect(limited.code).toBe('RATE_LIMITED');
    await new Promise((wait) => setTimeout(wait, 300));
    expect(await countMails(harness.smtp.inboxUrl, email)).toBe(EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR);
  });

  it(`counts wrong codes per address across codes (${EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR} an hour), but only guesses at a live code`, async () => {
    const email = uniqueEmail();
    // With no code pending there is nothing to guess: these cost the address nothing.
    for (let guess = 0; guess < EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR + 1; guess += 1) {
      expect((await harness.call(SIGN_IN_CODE, { email, code: '123456' })).code).toBe('UNAUTHENTICATED');
    }
    let mails = 0;
    for (let failures = 0; failures < EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR;) {
      const ip = uniqueIp();
      await harness.call(REQUEST_CODE, { email }, { ip });
      const code = await waitForCode(harness.smtp.inboxUrl, email, mails++);
      for (
        let guess = 0;
        guess < EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR && failures < EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR;
        guess += 1
      ) {
        expect(
          (await harness.call(SIGN_IN_CODE, { email, code: code === '000000' ? '111111' : '000000' }, { ip })).code,
        ).toBe('UNAUTHENTICATED');
        failures += 1;
      }
    }
    await harness.call(REQUEST_CODE, { email });
    const code = await waitForCode(harness.smtp.inboxUrl, email, mails);
    const limited = await harness.call(SIGN_IN_CODE, { email, code });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it(`counts wrong codes per address and network (${EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR} an hour): that network waits, the owner's does not`, async () => {
    const email = uniqueEmail();
    const stranger = uniqueIp();
    await harness.call(REQUEST_CODE, { email }, { ip: stranger });
    const first = await waitForCode(harness.smtp.inboxUrl, email);
    for (let guess = 0; guess < EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR; guess += 1) {
      await harness.call(SIGN_IN_CODE, { email, code: first === '000000' ? '111111' : '000000' }, { ip: stranger });
    }
    await harness.call(REQUEST_CODE, { email }, { ip: stranger });
    const code = await waitForCode(harness.smtp.inboxUrl, email, 1);
    expect((await harness.call(SIGN_IN_CODE, { email, code }, { ip: stranger })).code).toBe('RATE_LIMITED');
    const owner = await harness.call(SIGN_IN_CODE, { email, code }, { ip: uniqueIp() });
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.signInWithEmailCode.user.email).toBe(email);
  });

  it(`rate-limits code attempts per client address (${EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES} in 10 minutes)`, async () => {
    const ip = uniqueIp();
    for (let attempt = 0; attempt < EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES; attempt += 1) {
      const result = await harness.call(SIGN_IN_CODE, { email: uniqueEmail(), code: '123456' }, { ip });
      expect(result.code).toBe('UNAUTHENTICATED');
    }
    expect((await harness.call(SIGN_IN_CODE, { email: uniqueEmail(), code: '123456' }, { ip })).code).toBe(
      'RATE_LIMITED',
    );
    // Another address is not affected.
    expect((await harness.call(SIGN_IN_CODE, { email: uniqueEmail(), code: '123456' })).code).toBe('UNAUTHENTICATED');
  });

  it('rejects a malformed address or code with BAD_USER_INPUT', async () => {
    expect((await harness.call(REQUEST_CODE, { email: 'not an email' })).code).toBe('BAD_USER_INPUT');
    expect((await harness.call(REQUEST_CODE, { email: `${'a'.repeat(250)}@x.io` })).code).toBe('BAD_USER_INPUT');
    expect((await harness.call(SIGN_IN_CODE, { email: uniqueEmail(), code: '12ab' })).code).toBe('BAD_USER_INPUT');
  });
});

describe('sessions', () => {
  it('rotates refresh tokens and revokes the family when an old one comes back', async () => {
    const person = await harness.signUpWithEmail();
    const rotated = await harness.call(REFRESH, { token: person.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data?.refreshSession;
    expect(next.refreshToken).not.toBe(person.refreshToken);
    expect((await harness.call(ME, {}, { token: next.accessToken })).data?.me.id).toBe(person.userId);
    const newest = (await harness.call(REFRESH, { token: next.refreshToken })).data?.refreshSession;

    // The first token again, after its successor was exchanged in turn: a reuse. It fails, and so does the
    // newest token of the family.
    expect((await harness.call(REFRESH, { token: person.refreshToken })).code).toBe('UNAUTHENTICATED');
    expect((await harness.call(REFRESH, { token: newest.refreshToken })).code).toBe('UNAUTHENTICATED');
  });

  it(`a just-used token returns the same successor for ${REFRESH_REUSE_GRACE_SECONDS} s; after that it is a reuse`, async () => {
    const person = await harness.signUpWithEmail();
    const first = (await harness.call(REFRESH, { token: person.refreshToken })).data?.refreshSession;
    const again = await harness.call(REFRESH, { token: person.refreshToken });
    expect(again.errors).toBeUndefined();
    expect(again.data?.refreshSession.refreshToken).toBe(first.refreshToken);

    await pool.query('UPDATE refresh_tokens SET used_at = used_at - INTERVAL ? SECOND WHERE token_hash = ?', [
      REFRESH_REUSE_GRACE_SECONDS + 1,
      sha256(person.refreshToken),
    ]);
    expect((await harness.call(REFRESH, { token: person.refreshToken })).code).toBe('UNAUTHENTICATED');
    expect((await harness.call(REFRESH, { token: first.refreshToken })).code).toBe('UNAUTHENTICATED');
  });

  it(`ends a session ${SESSION_MAX_LIFETIME_SECONDS / 86400} days after its sign-in, however often it was refreshed`, async () => {
    const person = await harness.signUpWithEmail();
    const ageSession = (seconds: number, token: string) =>
      pool.query(
        `UPDATE sessions s JOIN refresh_tokens t ON t.session_id = s.id
         SET s.created_at = s.created_at - INTERVAL ? SECOND WHERE t.token_hash = ?`,
        [seconds, sha256(token)],
      );
    // A day before the end: the new token expires with the session, not 30 days on.
    await ageSession(SESSION_MAX_LIFETIME_SECONDS - 86_400, person.refreshToken);
    const rotated = await harness.call(REFRESH, { token: person.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const expiresInSeconds = (Date.parse(rotated.data?.refreshSession.refreshTokenExpiresAt) - Date.now()) / 1000;
    expect(expiresInSeconds).toBeLessThanOrEqual(86_400);
    expect(expiresInSeconds).toBeGreaterThan(86_400 - 120);
    expect(expiresInSeconds).toBeLessThan(REFRESH_TOKEN_TTL_SECONDS);

    await ageSession(86_400 + 1, rotated.data?.refreshSession.refreshToken);
    expect((await harness.call(REFRESH, { token: rotated.data?.refreshSession.refreshToken })).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('signs out: the session refresh token stops working', async () => {
    const person = await harness.signUpWithEmail();
    expect((await harness.call('mutation { signOut }', {}, { token: person.accessToken })).data?.signOut).toBe(true);
    expect((await harness.call(REFRESH, { token: person.refreshToken })).code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown refresh token and an anonymous sign-out', async () => {
    expect((await harness.call(REFRESH, { token: 'made-up' })).code).toBe('UNAUTHENTICATED');
    expect((await harness.call('mutation { signOut }')).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a tampered or malformed access token at the subgraph with 401', async () => {
    const person = await harness.signUpWithEmail();
    const [header, payload, signature] = person.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url')}.${signature}`;
    for (const options of [{ token: tampered }, { authorization: 'Basic abc' }, { token: 'a.b.c' }]) {
      const result = await harness.call(ME, {}, options);
      expect(result.status).toBe(401);
      expect(result.code).toBe('UNAUTHENTICATED');
    }
    expect((await harness.call(ME)).code).toBe('UNAUTHENTICATED');
  });

  it('serves its public keys as a JWKS', async () => {
    const jwks = (await (await fetch(harness.service.jwksUrl)).json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});

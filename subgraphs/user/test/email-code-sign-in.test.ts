import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMails, waitForCode } from '@letstalk/testing';
import {
  EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR,
} from '../src/limits.ts';
import { REQUEST_CODE, SIGN_IN_CODE, startUserHarness, uniqueEmail, uniqueIp } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
beforeAll(async () => {
  harness = await startUserHarness();
});
afterAll(async () => {
  await harness?.close();
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

import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import {
  LetsTalkError,
  MeDocument,
  MessagesDocument,
  RefreshSessionDocument,
  RequestEmailCodeDocument,
  SendMessageDocument,
  SignInWithEmailCodeDocument,
  SignInWithOidcDocument,
  StartDirectChatDocument,
  UpdateProfileDocument,
} from '@letstalk/sdk';
import { requestIdToken, waitForCode } from '@letstalk/testing';
import {
  EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR,
  EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR,
  PROFILE_UPDATES_PER_USER_PER_HOUR,
} from '../../subgraphs/user/src/limits.ts';
import { clientFor, codeOf, signUp, uniqueEmail, uniqueIp } from './helpers.ts';

/** One person (or stranger) on one client network, asking for and typing email codes. */
function emailSignIn(email: string, ip = uniqueIp()) {
  const client = clientFor(undefined, ip);
  return {
    request: () => client.request(RequestEmailCodeDocument, { email }),
    signIn: (code: string) => client.request(SignInWithEmailCodeDocument, { email, code }),
  };
}

const mailsTo = async (email: string) =>
  ((await (await fetch(`${inject('inboxUrl')}/messages?to=${encodeURIComponent(email)}`)).json()) as unknown[]).length;

const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

/** A random IPv6 /64 (documentation range), as `2001:db8:x:y`. */
const randomNetwork64 = () => `2001:db8:${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}`;
const randomInterface = () => Array.from({ length: 4 }, () => randomInt(1, 0x10000).toString(16)).join(':');

describe('email codes', () => {
  it(`counts wrong codes per address across codes: after ${EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR} even a new right code is RATE_LIMITED`, async () => {
    const email = uniqueEmail('guess');
    const networks = Math.ceil(
      EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR / EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR,
    );
    let failures = 0;
    for (let network = 0; network < networks; network += 1) {
      const stranger = emailSignIn(email);
      await stranger.request();
      const code = await waitForCode(inject('inboxUrl'), email, network);
      for (
        let guess = 0;
        guess < EMAIL_CODE_FAILURES_PER_EMAIL_PER_NETWORK_PER_HOUR && failures < EMAIL_CODE_FAILURES_PER_EMAIL_PER_HOUR;
        guess += 1
      ) {
        expect(await codeOf(stranger.signIn(wrongCodeFor(code)))).toBe('UNAUTHENTICATED');
        failures += 1;
      }
    }
    // A fresh code (today, a new code started the count again: 25 guesses an hour) does not help.
    const late = emailSignIn(email);
    await late.request();
    const code = await waitForCode(inject('inboxUrl'), email, networks);
    const refused = await late.signIn(code).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LetsTalkError);
    expect((refused as LetsTalkError).code).toBe('RATE_LIMITED');
  });

  it('a stranger on one network cannot lock the owner out by spending requests and wrong guesses', async () => {
    const email = uniqueEmail('owner');
    const stranger = emailSignIn(email);
    for (let request = 0; request < EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR; request += 1) {
      await stranger.request();
    }
    expect(await codeOf(stranger.request())).toBe('RATE_LIMITED');
    const mailed = await waitForCode(inject('inboxUrl'), email, EMAIL_CODE_REQUESTS_PER_EMAIL_PER_NETWORK_PER_HOUR - 1);
    for (let guess = 0; guess < EMAIL_CODE_MAX_ATTEMPTS; guess += 1) {
      expect(await codeOf(stranger.signIn(wrongCodeFor(mailed)))).toBe('UNAUTHENTICATED');
    }

    // The owner, on their own network, still gets a code and signs in with it.
    const owner = emailSignIn(email);
    const seen = await mailsTo(email);
    await owner.request();
    const code = await waitForCode(inject('inboxUrl'), email, seen);
    const { signInWithEmailCode } = await owner.signIn(code);
    expect(signInWithEmailCode.user.email).toBe(email);
  });

  it('counts IPv6 clients by their /64: addresses of one network share one limit', async () => {
    const network = randomNetwork64();
    for (let attempt = 0; attempt < EMAIL_CODE_ATTEMPTS_PER_IP_PER_10_MINUTES; attempt += 1) {
      const ip = `${network}:${randomInterface()}`;
      expect(await codeOf(emailSignIn(uniqueEmail('v6'), ip).signIn('123456'))).toBe('UNAUTHENTICATED');
    }
    const another = `${network}:${randomInterface()}`;
    expect(await codeOf(emailSignIn(uniqueEmail('v6'), another).signIn('123456'))).toBe('RATE_LIMITED');
    // The next /64 is someone else.
    expect(await codeOf(emailSignIn(uniqueEmail('v6'), `${randomNetwork64()}::1`).signIn('123456'))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('refreshing a session', () => {
  it('two refreshes with one token (two tabs, a retry) both get the same successor; the session lives on', async () => {
    const person = await signUp();
    const [first, second] = await Promise.all([
      clientFor().request(RefreshSessionDocument, { refreshToken: person.refreshToken }),
      clientFor().request(RefreshSessionDocument, { refreshToken: person.refreshToken }),
    ]);
    const successor = first.refreshSession.refreshToken;
    expect(successor).not.toBe(person.refreshToken);
    expect(second.refreshSession.refreshToken).toBe(successor);
    expect(second.refreshSession.refreshTokenExpiresAt).toBe(first.refreshSession.refreshTokenExpiresAt);
    // A retry whose first answer was lost gets it too.
    const retried = await clientFor().request(RefreshSessionDocument, { refreshToken: person.refreshToken });
    expect(retried.refreshSession.refreshToken).toBe(successor);
    for (const answer of [first, second, retried]) {
      const me = await clientFor(() => answer.refreshSession.accessToken).request(MeDocument);
      expect(me.me.id).toBe(person.userId);
    }

    // The successor rotates as usual; once it has, the first token is a reuse and ends the session.
    const next = await clientFor().request(RefreshSessionDocument, { refreshToken: successor });
    expect(await codeOf(clientFor().request(RefreshSessionDocument, { refreshToken: person.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await codeOf(clientFor().request(RefreshSessionDocument, { refreshToken: next.refreshSession.refreshToken })),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('keys are compared byte for byte', () => {
  it('two OIDC subjects that differ only in case are two accounts', async () => {
    const sub = `Case-${randomUUID()}`;
    const signIn = async (subject: string) =>
      (
        await clientFor().request(SignInWithOidcDocument, {
          provider: 'fake',
          idToken: await requestIdToken(inject('oidcIssuer'), { sub: subject }),
        })
      ).signInWithOidc;
    const upper = await signIn(sub.toUpperCase());
    const lower = await signIn(sub.toLowerCase());
    expect(upper.isNewUser).toBe(true);
    expect(lower.isNewUser).toBe(true);
    expect(lower.user.id).not.toBe(upper.user.id);
    expect((await signIn(sub.toUpperCase())).user.id).toBe(upper.user.id);
  });

  it('a verified email that differs by an accent does not join the account of the plain one', async () => {
    const local = `e2e-${randomBytes(6).toString('hex')}`;
    const plain = `${local}@example.test`;
    const alice = emailSignIn(plain);
    await alice.request();
    const owner = (await alice.signIn(await waitForCode(inject('inboxUrl'), plain))).signInWithEmailCode;
    const accented = `é${local.slice(1)}@example.test`;
    const { signInWithOidc: other } = await clientFor().request(SignInWithOidcDocument, {
      provider: 'fake',
      idToken: await requestIdToken(inject('oidcIssuer'), { sub: randomUUID(), email: accented, email_verified: true }),
    });
    expect(other.user.id).not.toBe(owner.user.id);
    expect(other.isNewUser).toBe(true);
  });

  it('clientMessageIds "a", "A" and "á" are three messages, and "a" again is a retry', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const send = (clientMessageId: string) =>
      alice.client.request(SendMessageDocument, {
        input: { chatId: chat.id, clientMessageId, text: `id ${clientMessageId}` },
      });
    const ids = [];
    for (const clientMessageId of ['a', 'A', 'á']) ids.push((await send(clientMessageId)).sendMessage.id);
    expect(new Set(ids).size).toBe(3);
    expect((await send('a')).sendMessage.id).toBe(ids[0]);
    const history = await bob.client.request(MessagesDocument, { chatId: chat.id, first: 10 });
    expect(history.messages.edges.map((edge) => edge.node.text)).toEqual(['id á', 'id A', 'id a']);
  });
});

describe('updateProfile', () => {
  it(`is rate-limited to ${PROFILE_UPDATES_PER_USER_PER_HOUR} an hour (each change is an event); the refused one changes nothing`, async () => {
    const person = await signUp();
    for (let update = 0; update < PROFILE_UPDATES_PER_USER_PER_HOUR; update += 1) {
      await person.client.request(UpdateProfileDocument, { input: { firstName: `Name${update}` } });
    }
    const refused = await person.client
      .request(UpdateProfileDocument, { input: { firstName: 'Flood' } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LetsTalkError);
    expect((refused as LetsTalkError).code).toBe('RATE_LIMITED');
    expect((await person.client.request(MeDocument)).me.firstName).toBe(`Name${PROFILE_UPDATES_PER_USER_PER_HOUR - 1}`);
  });
});

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { issueAccessToken, loadSigningKey } from '@letstalk/auth';
import {
  MeDocument,
  RefreshSessionDocument,
  SignInMethodsDocument,
  SignInWithFacebookDocument,
  SignInWithOidcDocument,
  SignOutDocument,
  UpdateProfileDocument,
  UsersDocument,
} from '@letstalk/sdk';
import { requestFacebookToken, requestIdToken } from '@letstalk/testing';
import { clientFor, codeOf, signUp, uniqueEmail, uniqueName } from './helpers.ts';

describe('sign-in through the gateway', () => {
  it('lists the configured methods', async () => {
    const { signInMethods } = await clientFor().request(SignInMethodsDocument);
    expect(signInMethods).toEqual({ oidcProviders: ['fake'], facebook: true, emailCode: true });
  });

  it('signs up with an emailed code, reads and updates the profile', async () => {
    const alice = await signUp();
    const { me } = await alice.client.request(MeDocument);
    expect(me).toMatchObject({ id: alice.userId, email: alice.email, displayName: 'New user', avatar: null });

    const { updateProfile } = await alice.client.request(UpdateProfileDocument, {
      input: { firstName: '  Alice ', lastName: ' Liddell  ' },
    });
    expect(updateProfile).toMatchObject({ firstName: 'Alice', lastName: 'Liddell', displayName: 'Alice Liddell' });
    expect((await alice.client.request(MeDocument)).me.displayName).toBe('Alice Liddell');

    for (const input of [
      { firstName: '   ', lastName: 'x' },
      { firstName: 'x'.repeat(65), lastName: 'x' },
      { firstName: 'a\u0000b', lastName: 'x' },
    ]) {
      expect(await codeOf(alice.client.request(UpdateProfileDocument, { input }))).toBe('BAD_USER_INPUT');
    }
    expect((await alice.client.request(MeDocument)).me.displayName).toBe('Alice Liddell');
  });

  it('signs in with an OIDC ID token, twice into the same account', async () => {
    const sub = randomUUID();
    const claims = { sub, email: uniqueEmail('oidc'), given_name: 'Oscar', family_name: 'Idc' };
    const client = clientFor();
    const first = await client.request(SignInWithOidcDocument, {
      provider: 'fake',
      idToken: await requestIdToken(inject('oidcIssuer'), claims),
    });
    const second = await client.request(SignInWithOidcDocument, {
      provider: 'fake',
      idToken: await requestIdToken(inject('oidcIssuer'), claims),
    });
    expect(first.signInWithOidc.isNewUser).toBe(true);
    expect(second.signInWithOidc).toMatchObject({ isNewUser: false, user: { id: first.signInWithOidc.user.id } });
    const expired = await requestIdToken(inject('oidcIssuer'), { ...claims, expiresIn: -300 });
    expect(await codeOf(client.request(SignInWithOidcDocument, { provider: 'fake', idToken: expired }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('signs in with a Facebook access token', async () => {
    const token = await requestFacebookToken(inject('facebookGraphUrl'), {
      id: String(Date.now()),
      first_name: 'Fay',
      last_name: 'Book',
    });
    const { signInWithFacebook } = await clientFor().request(SignInWithFacebookDocument, { accessToken: token });
    expect(signInWithFacebook.user.displayName).toBe('Fay Book');
  });

  it('refreshes the session and signs out', async () => {
    const bob = await signUp();
    const { refreshSession } = await clientFor().request(RefreshSessionDocument, { refreshToken: bob.refreshToken });
    expect(refreshSession.user.id).toBe(bob.userId);
    const signedIn = clientFor(() => refreshSession.accessToken);
    expect((await signedIn.request(SignOutDocument)).signOut).toBe(true);
    expect(
      await codeOf(clientFor().request(RefreshSessionDocument, { refreshToken: refreshSession.refreshToken })),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('access tokens', () => {
  async function expiredToken(userId: string) {
    const pem = await readFile(join(inject('dataDir'), 'keys/access-token-es256.pem'), 'utf8');
    const key = await loadSigningKey({ pem });
    const issued = await issueAccessToken(
      key,
      { issuer: 'letstalk', audience: 'letstalk' },
      { userId, sessionId: randomUUID() },
      new Date(Date.now() - 20 * 60 * 1000),
    );
    return issued.token;
  }

  function tamper(token: string, userId: string) {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: userId })).toString('base64url')}.${signature}`;
  }

  it('refuses an expired or tampered token at the gateway with 401', async () => {
    const carol = await signUp();
    const mallory = await signUp();
    for (const token of [await expiredToken(carol.userId), tamper(mallory.accessToken, carol.userId)]) {
      const response = await fetch(inject('gatewayUrl'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(await codeOf(clientFor(() => token).request(MeDocument))).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses them directly at a subgraph too (no subgraph trusts the gateway blindly)', async () => {
    const dave = await signUp();
    const forged = tamper(dave.accessToken, randomUUID());
    for (const url of [inject('userSubgraphUrl'), inject('messageSubgraphUrl')]) {
      for (const token of [await expiredToken(dave.userId), forged]) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(response.status, url).toBe(401);
      }
    }
    const valid = await fetch(inject('userSubgraphUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dave.accessToken}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await valid.json()) as { data: { me: { id: string } } }).data.me.id).toBe(dave.userId);
  });
});

describe('the directory', () => {
  it('finds people by name prefix, pages with cursors, and finds an exact email', async () => {
    const family = uniqueName('Fam');
    const viewer = await signUp({ firstName: 'Viewer', lastName: uniqueName() });
    await signUp({ firstName: 'Anna', lastName: family });
    await signUp({ firstName: 'Bert', lastName: family });
    await signUp({ firstName: 'Cleo', lastName: family });
    const unnamed = await signUp();

    const page1 = await viewer.client.request(UsersDocument, { search: family.toLowerCase(), first: 2 });
    expect(page1.users.edges.map((edge) => edge.node.displayName)).toEqual([`Anna ${family}`, `Bert ${family}`]);
    expect(page1.users.pageInfo.hasNextPage).toBe(true);
    const page2 = await viewer.client.request(UsersDocument, {
      search: family,
      first: 2,
      after: page1.users.pageInfo.endCursor,
    });
    expect(page2.users.edges.map((edge) => edge.node.displayName)).toEqual([`Cleo ${family}`]);
    expect(page2.users.pageInfo.hasNextPage).toBe(false);

    const byName = await viewer.client.request(UsersDocument, { search: `bert ${family}` });
    expect(byName.users.edges).toHaveLength(1);
    const byEmail = await viewer.client.request(UsersDocument, { search: unnamed.email });
    expect(byEmail.users.edges.map((edge) => edge.node.id)).toEqual([unnamed.userId]);
  });

  it('refuses bad arguments and anonymous callers', async () => {
    const viewer = await signUp();
    expect(await codeOf(viewer.client.request(UsersDocument, { first: 51 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(viewer.client.request(UsersDocument, { first: 0 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(viewer.client.request(UsersDocument, { after: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(viewer.client.request(UsersDocument, { search: 'x'.repeat(101) }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(clientFor().request(UsersDocument, {}))).toBe('UNAUTHENTICATED');
  });
});

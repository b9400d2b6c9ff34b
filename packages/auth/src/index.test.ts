import { generateKeyPair, exportPKCS8, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  accessTokenVerifierFor,
  createAccessTokenVerifier,
  issueAccessToken,
  loadSigningKey,
  publicJwks,
  viewerFromAuthorization,
} from './index.ts';

const options = { issuer: 'letstalk', audience: 'letstalk' };

async function newKey() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return loadSigningKey({ pem: await exportPKCS8(privateKey) });
}

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'ok',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );
}

describe('access tokens', () => {
  it('round-trips the viewer', async () => {
    const key = await newKey();
    const verify = createAccessTokenVerifier({ jwks: publicJwks([key]) }, options);
    const { token, expiresAt } = await issueAccessToken(key, options, { userId: 'u1', sessionId: 's1' });
    const viewer = await verify(token);
    expect(viewer).toMatchObject({ userId: 'u1', sessionId: 's1', expiresAt });
    expect(publicJwks([key]).keys[0]).not.toHaveProperty('d');
  });

  it('refuses expired, foreign, mis-addressed and unsigned tokens', async () => {
    const key = await newKey();
    const other = await newKey();
    const verify = createAccessTokenVerifier({ jwks: publicJwks([key]) }, options);
    const subject = { userId: 'u1', sessionId: 's1' };
    const expired = await issueAccessToken(key, options, subject, new Date(Date.now() - 16 * 60 * 1000));
    const foreign = await issueAccessToken(other, options, subject);
    const wrongAudience = await issueAccessToken(key, { ...options, audience: 'elsewhere' }, subject);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from('{"sub":"u1"}').toString('base64url')}.`;
    const idTokenShaped = await new SignJWT({ sid: 's1' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject('u1')
      .setIssuer('letstalk')
      .setAudience('letstalk')
      .setJti('j')
      .setExpirationTime('5m')
      .sign(key.privateKey);
    for (const token of [expired.token, foreign.token, wrongAudience.token, unsigned, idTokenShaped]) {
      expect(await codeOf(verify(token))).toBe('UNAUTHENTICATED');
    }
  });

  it('remembers a verified token until it expires, and only then refuses it', async () => {
    const key = await newKey();
    const verify = createAccessTokenVerifier({ jwks: publicJwks([key]) }, options);
    const almostExpired = new Date(Date.now() - (15 * 60 - 1.5) * 1000);
    const { token } = await issueAccessToken(key, options, { userId: 'u1', sessionId: 's1' }, almostExpired);
    const first = await verify(token);
    expect(await verify(token)).toBe(first);
    await new Promise((wait) => setTimeout(wait, 2_100));
    expect(await codeOf(verify(token))).toBe('UNAUTHENTICATED');
  });

  it("builds a service's verifier from its settings: its own keys, or the published ones", async () => {
    const key = await newKey();
    const env = { AUTH_ISSUER: 'letstalk', AUTH_AUDIENCE: 'letstalk', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json' };
    const { token } = await issueAccessToken(key, options, { userId: 'u1', sessionId: 's1' });
    expect(await accessTokenVerifierFor(env, publicJwks([key]))(token)).toMatchObject({ userId: 'u1' });
    expect(await codeOf(accessTokenVerifierFor({ ...env, AUTH_AUDIENCE: 'other' }, publicJwks([key]))(token))).toBe(
      'UNAUTHENTICATED',
    );
    // Nothing answers on port 9: the published keys are fetched from AUTH_JWKS_URL, not taken from elsewhere.
    expect(await codeOf(accessTokenVerifierFor(env)(token))).toBe('UNAUTHENTICATED');
  });

  it('reads the Authorization header: absent is anonymous, malformed is refused', async () => {
    const key = await newKey();
    const verify = createAccessTokenVerifier({ jwks: publicJwks([key]) }, options);
    expect(await viewerFromAuthorization(undefined, verify)).toBeNull();
    expect(await codeOf(viewerFromAuthorization('Token abc', verify))).toBe('UNAUTHENTICATED');
    expect(await codeOf(viewerFromAuthorization(`Bearer ${'a'.repeat(5000)}`, verify))).toBe('UNAUTHENTICATED');
  });
});

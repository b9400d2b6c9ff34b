import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '@letstalk/db';
import { REFRESH_REUSE_GRACE_SECONDS, REFRESH_TOKEN_TTL_SECONDS, SESSION_MAX_LIFETIME_SECONDS } from '../src/limits.ts';
import { ME, REFRESH, startUserHarness } from './harness.ts';

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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@letstalk/db';
import { REFRESH, startUserHarness } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
beforeAll(async () => {
  harness = await startUserHarness();
});
afterAll(() => harness?.close());

const DELETE = 'mutation { deleteAccount }';
const ENTITY =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName email avatar { id } } } }';

describe('deleteAccount', () => {
  it('removes the name, email and sessions; the id stays as "Deleted user"; the same email makes a new account', async () => {
    const ada = await harness.signUpWithEmail();
    const bob = await harness.signUpWithEmail();
    await harness.call(
      'mutation { updateProfile(input: { firstName: "Ada", lastName: "Gone" }) { id } }',
      {},
      { token: ada.accessToken },
    );
    expect((await harness.call(DELETE, {}, { token: ada.accessToken })).data?.deleteAccount).toBe(true);

    const seen = await harness.call(
      ENTITY,
      { r: [{ __typename: 'User', id: ada.userId }] },
      { token: bob.accessToken },
    );
    expect(seen.data?._entities).toEqual([{ id: ada.userId, displayName: 'Deleted user', email: null, avatar: null }]);
    const directory = await harness.call(
      'query($s: String!) { users(search: $s) { edges { node { id } } } }',
      { s: 'Ada Gone' },
      { token: bob.accessToken },
    );
    expect(directory.data?.users.edges).toEqual([]);
    expect((await harness.call(REFRESH, { token: ada.refreshToken })).code).toBe('UNAUTHENTICATED');

    const again = await harness.signUpWithEmail(ada.email);
    expect(again.isNewUser).toBe(true);
    expect(again.userId).not.toBe(ada.userId);
  });

  it('needs a sign-in of the last 10 minutes: an older session is refused, and nothing is deleted', async () => {
    const ada = await harness.signUpWithEmail();
    const pool = createPool(harness.env.DATABASE_URL, harness.env.USER_DATABASE, 1);
    try {
      await pool.query('UPDATE sessions SET created_at = NOW(3) - INTERVAL 11 MINUTE WHERE user_id = ?', [ada.userId]);
    } finally {
      await pool.end();
    }
    const refused = await harness.call(DELETE, {}, { token: ada.accessToken });
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.extensions?.reason).toBe('RECENT_SIGN_IN_REQUIRED');
    expect((await harness.call('{ me { email } }', {}, { token: ada.accessToken })).data?.me.email).toBe(ada.email);
    expect((await harness.call(DELETE)).code).toBe('UNAUTHENTICATED');
  });
});

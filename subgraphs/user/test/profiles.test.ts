import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserHarness } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
beforeAll(async () => {
  harness = await startUserHarness();
});
afterAll(() => harness?.close());

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName email } } }';

describe('User entity references', () => {
  it('resolve in one batch, unknown ids to null, and show a name change at once on this instance', async () => {
    const ada = await harness.signUpWithEmail();
    const bob = await harness.signUpWithEmail();
    const UPDATE = 'mutation($f: String!) { updateProfile(input: { firstName: $f, lastName: "Test" }) { displayName } }';
    await harness.call(UPDATE, { f: 'Ada' }, { token: ada.accessToken });
    const representations = [ada.userId, bob.userId, '00000000-0000-7000-8000-000000000000'].map((id) => ({ __typename: 'User', id }));
    const first = await harness.call(ENTITIES, { r: representations }, { token: bob.accessToken });
    expect(first.data?._entities).toEqual([
      { id: ada.userId, displayName: 'Ada Test', email: null },
      { id: bob.userId, displayName: 'New user', email: bob.email },
      null,
    ]);
    await harness.call(UPDATE, { f: 'Adeline' }, { token: ada.accessToken });
    const second = await harness.call(ENTITIES, { r: representations.slice(0, 1) }, { token: bob.accessToken });
    expect(second.data?._entities).toEqual([{ id: ada.userId, displayName: 'Adeline Test', email: null }]);
  });
});

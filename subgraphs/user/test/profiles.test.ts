import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectNats } from '@letstalk/events';
import { announceImage } from '@letstalk/testing';
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
    const UPDATE =
      'mutation($f: String!) { updateProfile(input: { firstName: $f, lastName: "Test" }) { displayName } }';
    await harness.call(UPDATE, { f: 'Ada' }, { token: ada.accessToken });
    const representations = [ada.userId, bob.userId, '00000000-0000-7000-8000-000000000000'].map((id) => ({
      __typename: 'User',
      id,
    }));
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

describe('User entity references on two instances', () => {
  it('show a name change made through the other instance as soon as its event is out, not after the 5 s cache', async () => {
    // A second instance of the subgraph: same database, NATS and signing key (DATA_DIR), as a deployment runs two.
    const other = await startUserHarness({ DATA_DIR: harness.env.DATA_DIR });
    try {
      const ada = await harness.signUpWithEmail();
      const bob = await harness.signUpWithEmail();
      const UPDATE = 'mutation($f: String!) { updateProfile(input: { firstName: $f, lastName: "Test" }) { id } }';
      await harness.call(UPDATE, { f: 'Ada' }, { token: ada.accessToken });
      const nameOnOther = async () =>
        (await other.call(ENTITIES, { r: [{ __typename: 'User', id: ada.userId }] }, { token: bob.accessToken })).data
          ?._entities[0].displayName;
      // Now in the other instance's cache.
      expect(await nameOnOther()).toBe('Ada Test');
      await harness.call(UPDATE, { f: 'Adeline' }, { token: ada.accessToken });
      await vi.waitFor(async () => expect(await nameOnOther()).toBe('Adeline Test'), { timeout: 2_500, interval: 50 });
    } finally {
      await other.close();
    }
  });
});

describe('profile pictures', () => {
  it('sets an avatar the person uploaded (and only such a one), keeps the other fields, removes it with null', async () => {
    const nc = await connectNats(harness.env.NATS_URL, 'user-avatar-test');
    try {
      const ada = await harness.signUpWithEmail();
      const bob = await harness.signUpWithEmail();
      const UPDATE =
        'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { firstName lastName avatar { id } } }';
      await harness.call(UPDATE, { input: { firstName: 'Ada', lastName: 'Lovelace' } }, { token: ada.accessToken });
      const portrait = await announceImage(nc, ada.userId, 'AVATAR');
      const forAMessage = await announceImage(nc, ada.userId, 'MESSAGE');

      const set = await harness.call(UPDATE, { input: { avatarImageId: portrait } }, { token: ada.accessToken });
      expect(set.data?.updateProfile).toEqual({ firstName: 'Ada', lastName: 'Lovelace', avatar: { id: portrait } });
      const seen = await harness.call(
        ENTITIES.replace('email', 'email avatar { id }'),
        { r: [{ __typename: 'User', id: ada.userId }] },
        { token: bob.accessToken },
      );
      expect(seen.data?._entities[0].avatar).toEqual({ id: portrait });

      expect(
        (await harness.call(UPDATE, { input: { avatarImageId: portrait } }, { token: bob.accessToken })).code,
      ).toBe('NOT_FOUND');
      expect(
        (await harness.call(UPDATE, { input: { avatarImageId: forAMessage } }, { token: ada.accessToken })).code,
      ).toBe('NOT_FOUND');
      expect(
        (await harness.call(UPDATE, { input: { avatarImageId: 'portrait' } }, { token: ada.accessToken })).code,
      ).toBe('BAD_USER_INPUT');

      const removed = await harness.call(
        UPDATE,
        { input: { avatarImageId: null, lastName: 'King' } },
        { token: ada.accessToken },
      );
      expect(removed.data?.updateProfile).toEqual({ firstName: 'Ada', lastName: 'King', avatar: null });
    } finally {
      await nc.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import type { Subscription } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeLiveEvent,
  ensurePresenceBucket,
  liveSubject,
  presenceBucket,
  presenceChanged,
  publishEventNow,
  type GatewayPresence,
} from '@letstalk/events';
import { waitUntil } from '@letstalk/testing';
import { PRESENCE_SETTING_CHANGES_PER_USER_PER_MINUTE } from '../src/limits.ts';
import { DIRECT, group, startMessageHarness, TEST_PRESENCE_BUCKET, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
let bucket: ReturnType<typeof presenceBucket>;
const subscriptions: Subscription[] = [];
beforeAll(async () => {
  // The sweeper runs often here; the bucket keeps the default TTL (expiry itself is the end-to-end suite's).
  harness = await startMessageHarness({ PRESENCE_SWEEP_INTERVAL_MS: '200' });
  await ensurePresenceBucket(harness.nc, 60_000, TEST_PRESENCE_BUCKET);
  bucket = presenceBucket(harness.nc, TEST_PRESENCE_BUCKET);
});
afterAll(async () => {
  for (const subscription of subscriptions) subscription.unsubscribe();
  await harness?.close();
});

const PRESENCE = 'query($id: ID!) { presence(userId: $id) { user { id } status lastSeenAt hidden } }';
const HIDE = 'mutation($hidden: Boolean!) { setPresenceHidden(hidden: $hidden) { status hidden } }';
const BLOCK = 'mutation($id: ID!) { blockUser(userId: $id) { id } }';
const UNBLOCK = 'mutation($id: ID!) { unblockUser(userId: $id) { id } }';

/** What a gateway does when a person's state on it changes: the key first, then the event. */
async function onGateway(person: Person, gatewayId: string, status: GatewayPresence | 'OFFLINE') {
  if (status === 'OFFLINE') await bucket.remove(person.id, gatewayId);
  else await bucket.put(person.id, gatewayId, status);
  const at = new Date().toISOString();
  await publishEventNow(
    harness.nc,
    presenceChanged,
    { userId: person.id, cause: 'CONNECTIONS', gatewayId, status, at },
    randomUUID(),
  );
  return at;
}

const presenceOf = async (viewer: Person, of: Person) => (await viewer.call(PRESENCE, { id: of.id })).data?.presence;
const statusOf = async (viewer: Person, of: Person) => (await presenceOf(viewer, of))?.status as string | undefined;

async function expectStatus(viewer: Person, of: Person, status: string) {
  await waitUntil(async () => (await statusOf(viewer, of)) === status, `${status} as seen by a viewer`);
}

/** The people whose presence events reach `viewer` (the `userId` of each live presence event, in order). */
function presenceHeardBy(viewer: Person): string[] {
  const heard: string[] = [];
  subscriptions.push(
    harness.nc.subscribe(liveSubject(viewer.id), {
      callback: (_error, message) => {
        const event = decodeLiveEvent(message.data);
        if (event?.kind === 'presence') heard.push(event.userId);
      },
    }),
  );
  return heard;
}

async function direct(a: Person, b: Person) {
  await a.call(DIRECT, { userId: b.id });
}

describe('presence', () => {
  it('follows the keys of every gateway: online on one, away on all, offline with none, with the last time seen', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    await group(alice, [bob]);
    const heard = presenceHeardBy(alice);
    expect(await presenceOf(alice, bob)).toEqual({
      user: { id: bob.id },
      status: 'OFFLINE',
      lastSeenAt: null,
      hidden: null,
    });

    await onGateway(bob, 'gw-a', 'ONLINE');
    await expectStatus(alice, bob, 'ONLINE');
    await waitUntil(() => heard.includes(bob.id), 'the live presence event');
    await onGateway(bob, 'gw-b', 'AWAY');
    await onGateway(bob, 'gw-a', 'AWAY');
    await expectStatus(alice, bob, 'AWAY');
    await onGateway(bob, 'gw-b', 'ONLINE');
    await expectStatus(alice, bob, 'ONLINE');
    await onGateway(bob, 'gw-a', 'OFFLINE');
    expect(await statusOf(alice, bob)).toBe('ONLINE'); // still on gw-b
    const closing = Date.now();
    const announced = await onGateway(bob, 'gw-b', 'OFFLINE');
    await expectStatus(alice, bob, 'OFFLINE');
    // When the last socket closed: the gateway's time, or the sweeper's if it noticed the key gone first (gw-a's
    // event, handled after both keys went, may say an earlier time for a moment).
    const lastSeenAt = async () => Date.parse((await presenceOf(alice, bob)).lastSeenAt);
    await waitUntil(async () => (await lastSeenAt()) >= closing, 'the time of the last close');
    expect(await lastSeenAt()).toBeLessThanOrEqual(Date.parse(announced));
    expect(heard.filter((id) => id === bob.id).length).toBeGreaterThanOrEqual(4);
  });

  it('is shown only to people who share a chat, and never told to anyone else', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    await direct(alice, bob);
    const heardByCarol = presenceHeardBy(carol);
    await onGateway(bob, 'gw-a', 'ONLINE');
    await expectStatus(alice, bob, 'ONLINE');
    expect((await carol.call(PRESENCE, { id: bob.id })).code).toBe('NOT_FOUND');
    const entity = await carol.call(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id presence { status } } } }',
      { r: [{ __typename: 'User', id: bob.id }] },
    );
    expect(entity.data?._entities).toEqual([{ id: bob.id, presence: null }]);
    expect((await harness.call(PRESENCE, { id: bob.id })).code).toBe('UNAUTHENTICATED');
    // Bob sees his own, in no chat with himself at all.
    expect(await statusOf(bob, bob)).toBe('ONLINE');
    await onGateway(bob, 'gw-a', 'OFFLINE');
    await expectStatus(alice, bob, 'OFFLINE');
    expect(heardByCarol).toEqual([]);
  });

  it('is hidden across a block either way, as a hidden presence is, and both hear of the block at once', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    await group(alice, [bob]);
    const [heardByAlice, heardByBob] = [presenceHeardBy(alice), presenceHeardBy(bob)];
    await onGateway(alice, 'gw-a', 'ONLINE');
    await onGateway(bob, 'gw-a', 'ONLINE');
    // Both heard of the other coming online, so nothing of that is still on its way.
    await waitUntil(() => heardByAlice.includes(bob.id) && heardByBob.includes(alice.id), 'both online');
    heardByAlice.length = 0;
    heardByBob.length = 0;

    expect((await bob.call(BLOCK, { id: alice.id })).errors).toBeUndefined();
    const hiddenView = { status: 'OFFLINE', lastSeenAt: null, hidden: null };
    expect(await presenceOf(alice, bob)).toMatchObject(hiddenView);
    expect(await presenceOf(bob, alice)).toMatchObject(hiddenView);
    await waitUntil(() => heardByAlice.includes(bob.id) && heardByBob.includes(alice.id), 'both told of the block');

    // Bob going away is nothing to Alice now: whatever she may still hear of him (a signal already on its way when
    // he blocked her), what she is shown stays the hidden view.
    await onGateway(bob, 'gw-a', 'AWAY');
    await expectStatus(bob, bob, 'AWAY');
    await new Promise((wait) => setTimeout(wait, 300));
    expect(await presenceOf(alice, bob)).toMatchObject(hiddenView);

    expect((await bob.call(UNBLOCK, { id: alice.id })).errors).toBeUndefined();
    expect(await statusOf(alice, bob)).toBe('AWAY');
    await waitUntil(() => heardByAlice.includes(bob.id), 'Alice told of the unblock');
    await onGateway(alice, 'gw-a', 'OFFLINE');
    await onGateway(bob, 'gw-a', 'OFFLINE');
  });

  it('can be hidden: others see OFFLINE never seen at once, the person their own; shown again the same way', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    await direct(alice, bob);
    const heard = presenceHeardBy(alice);
    await onGateway(bob, 'gw-a', 'ONLINE');
    await waitUntil(() => heard.includes(bob.id), 'Alice told that Bob is online');
    heard.length = 0;

    expect((await bob.call(HIDE, { hidden: true })).data?.setPresenceHidden).toEqual({
      status: 'ONLINE',
      hidden: true,
    });
    expect(await presenceOf(alice, bob)).toMatchObject({ status: 'OFFLINE', lastSeenAt: null, hidden: null });
    expect(await presenceOf(bob, bob)).toMatchObject({ status: 'ONLINE', hidden: true });
    await waitUntil(() => heard.includes(bob.id), 'Alice told that Bob hid');

    // While hidden, his comings and goings reach his own devices only.
    heard.length = 0;
    const ownDevices = presenceHeardBy(bob);
    await onGateway(bob, 'gw-a', 'OFFLINE');
    await expectStatus(bob, bob, 'OFFLINE');
    await waitUntil(() => ownDevices.includes(bob.id), 'Bob’s own devices told');
    expect(heard).toEqual([]);
    expect((await presenceOf(bob, bob)).lastSeenAt).not.toBeNull();

    expect((await bob.call(HIDE, { hidden: false })).data?.setPresenceHidden).toEqual({
      status: 'OFFLINE',
      hidden: false,
    });
    expect((await presenceOf(alice, bob)).lastSeenAt).not.toBeNull();
    await waitUntil(() => heard.includes(bob.id), 'Alice told that Bob showed it again');
  });

  it('limits changes of the setting (RATE_LIMITED) and needs a viewer', async () => {
    const [alice] = (await harness.people(1)) as [Person];
    for (let i = 0; i < PRESENCE_SETTING_CHANGES_PER_USER_PER_MINUTE; i++)
      expect((await alice.call(HIDE, { hidden: i % 2 === 0 })).errors, `change ${i + 1}`).toBeUndefined();
    expect((await alice.call(HIDE, { hidden: true })).code).toBe('RATE_LIMITED');
    expect((await harness.call(HIDE, { hidden: true })).code).toBe('UNAUTHENTICATED');
  });

  it('sweeps: keys gone without a word turn the person OFFLINE, keys without an event turn them ONLINE', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    await direct(alice, bob);
    const heard = presenceHeardBy(alice);
    // A gateway that wrote a key and died before announcing it.
    await bucket.put(bob.id, 'gw-died', 'ONLINE');
    await expectStatus(alice, bob, 'ONLINE');
    // Its key then goes (as it expires), with no event either.
    await bucket.remove(bob.id, 'gw-died');
    await expectStatus(alice, bob, 'OFFLINE');
    expect((await presenceOf(alice, bob)).lastSeenAt).not.toBeNull();
    expect(heard.filter((id) => id === bob.id)).toHaveLength(2);
  });
});

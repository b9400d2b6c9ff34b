import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  BlockUserDocument,
  ChatDocument,
  CreateGroupChatDocument,
  createLive,
  PresenceChangedDocument,
  PresenceDocument,
  SetPresenceHiddenDocument,
  StartDirectChatDocument,
  UnblockUserDocument,
  type PresenceFieldsFragment,
} from '@letstalk/sdk';
import { spawnGateway } from '@letstalk/stack';
import { clientFor, codeOf, collect, signUp, uniqueName, WAIT_MS, type Person } from './helpers.ts';

const secondGateway = () => inject('secondGatewayUrl');
const USER_PRESENCE = parse('query($id: ID!) { user(id: $id) { id presence { status } } }') as TypedDocumentNode<
  { user: { id: string; presence: { status: string } | null } | null },
  { id: string }
>;

/** A person signed up through `url`'s gateway (their client's socket opens there). */
const person = (firstName: string, url = inject('gatewayUrl')) => signUp({ firstName, lastName: uniqueName() }, url);

/** `viewer`'s presenceChanged, followed from now: wait for a status of someone, read what came. */
function presenceSeenBy(viewer: Person) {
  const events = collect(viewer.client.subscribe(PresenceChangedDocument));
  const of = (userId: string) =>
    events
      .data()
      .map((data) => data.presenceChanged)
      .filter((presence) => presence.user.id === userId);
  return {
    of,
    latest: (userId: string): PresenceFieldsFragment | undefined => of(userId).at(-1),
    until: (userId: string, status: string) =>
      events.until(() => of(userId).at(-1)?.status === status, `${status} of ${userId}`),
    stop: events.stop,
  };
}

/** Polls `viewer`'s answer for `userId`'s presence until it has `status`. */
async function untilStatus(viewer: Person, userId: string, status: string) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const { presence } = await viewer.client.request(PresenceDocument, { userId });
    if (presence.status === status) return presence;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${status}; last ${JSON.stringify(presence)}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** Opens a socket for `someone` (a subscription that hears nothing of its own) on their client's gateway. */
const socketOf = (someone: Person) => collect(someone.client.subscribe(PresenceChangedDocument));

describe('presence through the gateways', () => {
  it('spans gateways: online on one is seen from the other, offline (with the time) once the last socket closes', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob', secondGateway());
    await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    expect((await alice.client.request(PresenceDocument, { userId: bob.userId })).presence).toMatchObject({
      status: 'OFFLINE',
      lastSeenAt: null,
    });
    const seen = presenceSeenBy(alice);
    await untilStatus(alice, alice.userId, 'ONLINE'); // Alice's own socket is open, so she listens live

    const onB = socketOf(bob);
    await seen.until(bob.userId, 'ONLINE');
    // A second socket of Bob's, on the other gateway: closing the first keeps him online.
    const bobOnA = clientFor(() => bob.accessToken);
    const onA = collect(bobOnA.subscribe(PresenceChangedDocument));
    await untilStatus(bob, bob.userId, 'ONLINE');
    await onB.stop();
    await bob.client.dispose();
    await new Promise((wait) => setTimeout(wait, 1_000));
    expect((await alice.client.request(PresenceDocument, { userId: bob.userId })).presence.status).toBe('ONLINE');
    const closing = Date.now();
    await onA.stop();
    await bobOnA.dispose();
    await seen.until(bob.userId, 'OFFLINE');
    expect(Date.parse(seen.latest(bob.userId)!.lastSeenAt!)).toBeGreaterThanOrEqual(closing - 1_000);
    await seen.stop();
    await alice.client.dispose();
  });

  it('is seen by people who share a chat only: a stranger reads null or NOT_FOUND and is never told', async () => {
    const [alice, bob, carol] = await Promise.all([person('Alice'), person('Bob'), person('Carol')]);
    await alice.client.request(CreateGroupChatDocument, { name: 'Walk', memberIds: [bob.userId] });
    const [seenByAlice, seenByCarol] = [presenceSeenBy(alice), presenceSeenBy(carol)];
    await untilStatus(alice, alice.userId, 'ONLINE');
    await untilStatus(carol, carol.userId, 'ONLINE');
    const bobsSocket = socketOf(bob);
    await seenByAlice.until(bob.userId, 'ONLINE');
    expect(await codeOf(carol.client.request(PresenceDocument, { userId: bob.userId }))).toBe('NOT_FOUND');
    const { user } = await carol.client.request(USER_PRESENCE, { id: bob.userId });
    expect(user).toMatchObject({ id: bob.userId, presence: null });
    await bobsSocket.stop();
    await bob.client.dispose();
    await seenByAlice.until(bob.userId, 'OFFLINE');
    expect(seenByCarol.of(bob.userId)).toEqual([]);
    await Promise.all([seenByAlice.stop(), seenByCarol.stop(), alice.client.dispose(), carol.client.dispose()]);
  });

  it('is hidden across a block either way, told at once, and back after unblocking', async () => {
    const [alice, bob] = await Promise.all([person('Alice'), person('Bob', secondGateway())]);
    const { startDirectChat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const [seenByAlice, seenByBob] = [presenceSeenBy(alice), presenceSeenBy(bob)];
    await untilStatus(alice, bob.userId, 'ONLINE');
    await untilStatus(bob, alice.userId, 'ONLINE');

    await bob.client.request(BlockUserDocument, { userId: alice.userId });
    await seenByAlice.until(bob.userId, 'OFFLINE');
    await seenByBob.until(alice.userId, 'OFFLINE');
    expect(seenByAlice.latest(bob.userId)).toMatchObject({ lastSeenAt: null, hidden: null });
    const { chat } = await alice.client.request(ChatDocument, { id: startDirectChat.id });
    expect(chat.counterpart?.presence).toMatchObject({ status: 'OFFLINE', lastSeenAt: null });

    await bob.client.request(UnblockUserDocument, { userId: alice.userId });
    await seenByAlice.until(bob.userId, 'ONLINE');
    await seenByBob.until(alice.userId, 'ONLINE');
    await Promise.all([seenByAlice.stop(), seenByBob.stop(), alice.client.dispose(), bob.client.dispose()]);
  });

  it('can be hidden: others see OFFLINE without a time at once, the person sees their own', async () => {
    const [alice, bob] = await Promise.all([person('Alice'), person('Bob')]);
    await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const seen = presenceSeenBy(alice);
    // Her own ONLINE says her subscription is live: Bob's socket opens after it, so his ONLINE reaches it.
    await seen.until(alice.userId, 'ONLINE');
    const bobsSocket = socketOf(bob);
    await seen.until(bob.userId, 'ONLINE');
    const { setPresenceHidden } = await bob.client.request(SetPresenceHiddenDocument, { hidden: true });
    expect(setPresenceHidden).toMatchObject({ status: 'ONLINE', hidden: true });
    await seen.until(bob.userId, 'OFFLINE');
    expect(seen.latest(bob.userId)).toMatchObject({ lastSeenAt: null, hidden: null });
    await bob.client.request(SetPresenceHiddenDocument, { hidden: false });
    await seen.until(bob.userId, 'ONLINE');
    await Promise.all([seen.stop(), bobsSocket.stop()]);
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('turns AWAY when every socket is idle, ONLINE on activity, and OFFLINE once a gateway that died lets its keys expire', async () => {
    const gateway = await spawnGateway(
      { ...inject('stackEnv'), PRESENCE_AWAY_AFTER_MS: '1500' },
      inject('subgraphUrls'),
    );
    try {
      const [alice, bob] = await Promise.all([person('Alice'), person('Bob')]);
      await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
      const seen = presenceSeenBy(alice);
      await untilStatus(alice, alice.userId, 'ONLINE');
      const live = createLive({
        url: gateway.url,
        webSocketImpl: WebSocket,
        auth: { accessToken: () => Promise.resolve(bob.accessToken) },
      });
      const socket = live.follow(PresenceChangedDocument, {}, () => undefined);
      await seen.until(bob.userId, 'ONLINE');
      await seen.until(bob.userId, 'AWAY');
      live.reportActivity();
      await seen.until(bob.userId, 'ONLINE');
      // The gateway dies without a word: Bob's key there expires (PRESENCE_TTL_MS), and the sweeper sees it.
      gateway.child.kill('SIGKILL');
      await seen.until(bob.userId, 'OFFLINE');
      socket.stop();
      await live.dispose();
      await seen.stop();
      await Promise.all([alice.client.dispose(), bob.client.dispose()]);
    } finally {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) await gateway.stop();
    }
  });
});

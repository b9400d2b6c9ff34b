import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@letstalk/db';
import {
  decodeEvent,
  ensurePresenceBucket,
  everySubjectOf,
  notificationRequested,
  presenceBucket,
  streamOf,
} from '@letstalk/events';
import { group, send, startMessageHarness, TEST_PRESENCE_BUCKET, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

/**
 * The `message.notification-requested` events of `chatId` from now on (JetStream), collected until `enough` of them
 * came (within 20 s: a loaded machine is slow), then for another `settle` ms, in which none more may come.
 */
async function requestsOf(chatId: string, enough: number, act: () => Promise<void>, settle = 1_000) {
  const consumer = await jetstream(harness.nc).consumers.get(streamOf(notificationRequested.subject), {
    filter_subjects: everySubjectOf(notificationRequested),
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const seen: ReturnType<typeof decodeEvent<typeof notificationRequested>>[] = [];
  const collecting = (async () => {
    for await (const message of messages) {
      const request = decodeEvent(notificationRequested, message.data);
      if (request.chatId === chatId) seen.push(request);
    }
  })();
  await act();
  const deadline = Date.now() + 20_000;
  while (seen.length < enough && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 100));
  await new Promise((wait) => setTimeout(wait, settle));
  await messages.close();
  await collecting;
  return seen;
}

describe('who is told of a message while away', () => {
  it('names the members away: not the sender, the online, those who muted the chat or blocked the sender', async () => {
    const [alice, bob, carol, dave, erin] = (await harness.people(5)) as [Person, Person, Person, Person, Person];
    const chatId = (await group(alice, [bob, carol, dave, erin], 'Away team')).id;
    await carol.call('mutation($id: ID!) { muteChat(chatId: $id) { id } }', { id: chatId });
    await erin.call('mutation($id: ID!) { blockUser(userId: $id) { id } }', { id: alice.id });
    const pool = createPool(harness.env.DATABASE_URL, harness.env.MESSAGE_DATABASE, 1);
    try {
      // Dave has a live connection: a gateway's key, and the presence it made stored (the sweeper finds them agree).
      // Bob was never seen.
      await ensurePresenceBucket(harness.nc, 60_000, TEST_PRESENCE_BUCKET);
      await presenceBucket(harness.nc, TEST_PRESENCE_BUCKET).put(dave.id, 'gw-test', 'ONLINE');
      await pool.query("INSERT INTO user_presence (user_id, status) VALUES (?, 'ONLINE')", [dave.id]);
    } finally {
      await pool.end();
    }

    let sent: { id: string } | undefined;
    const mine = await requestsOf(chatId, 1, async () => {
      sent = await send(alice, chatId, `Lunch at ${'noon '.repeat(30)}?`);
    });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      messageId: sent!.id,
      senderId: alice.id,
      chatKind: 'GROUP',
      chatName: 'Away team',
      hasImage: false,
      hasFile: false,
      recipientIds: [bob.id],
    });
    expect([...(mine[0]!.excerpt ?? '')].length).toBeLessThanOrEqual(101);

    // Bob's message: Alice and Erin are told (Erin blocked Alice, not Bob); Carol (muted) and Dave (online) are not.
    const toldOfBobs = await requestsOf(chatId, 1, async () => {
      await send(bob, chatId, `only ${randomUUID()}`);
    });
    expect(toldOfBobs.map((request) => [...request.recipientIds].sort())).toEqual([[alice.id, erin.id].sort()]);
    await presenceBucket(harness.nc, TEST_PRESENCE_BUCKET).remove(dave.id, 'gw-test');
  });
});

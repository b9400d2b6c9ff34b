import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@letstalk/db';
import { decodeEvent, everySubjectOf, notificationRequested, streamOf } from '@letstalk/events';
import { group, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

/** The `message.notification-requested` events of the next `wait` ms (JetStream, from now on). */
async function requestsDuring(wait: number, act: () => Promise<void>) {
  const consumer = await jetstream(harness.nc).consumers.get(streamOf(notificationRequested.subject), {
    filter_subjects: everySubjectOf(notificationRequested),
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const seen: ReturnType<typeof decodeEvent<typeof notificationRequested>>[] = [];
  const collecting = (async () => {
    for await (const message of messages) seen.push(decodeEvent(notificationRequested, message.data));
  })();
  await act();
  await new Promise((done) => setTimeout(done, wait));
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
      // Dave has a live connection (as the presence consumer would have stored it); Bob was never seen.
      await pool.query("INSERT INTO user_presence (user_id, status) VALUES (?, 'ONLINE')", [dave.id]);
    } finally {
      await pool.end();
    }

    let sent: { id: string } | undefined;
    const requests = await requestsDuring(1_500, async () => {
      sent = await send(alice, chatId, `Lunch at ${'noon '.repeat(30)}?`);
    });
    const mine = requests.filter((request) => request.chatId === chatId);
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
    const next = await requestsDuring(1_000, async () => {
      await send(bob, chatId, `only ${randomUUID()}`);
    });
    const toldOfBobs = next.filter((request) => request.chatId === chatId);
    expect(toldOfBobs.map((request) => [...request.recipientIds].sort())).toEqual([[alice.id, erin.id].sort()]);
  });
});

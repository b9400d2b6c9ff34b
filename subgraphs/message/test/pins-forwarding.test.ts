import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceImage } from '@letstalk/testing';
import { MAX_PINNED_MESSAGES_PER_CHAT, SENDS_PER_USER_PER_10_SECONDS } from '../src/limits.ts';
import { DIRECT, group, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const PIN = 'mutation($id: ID!) { pinMessage(messageId: $id) { id pinned } }';
const UNPIN = 'mutation($id: ID!) { unpinMessage(messageId: $id) { id pinned } }';
const PINNED = 'query($id: ID!) { chat(id: $id) { pinned { message { id text } pinnedBy { id } pinnedAt } } }';
const FORWARD = `mutation($id: ID!, $to: ID!, $key: String!) {
  forwardMessage(messageId: $id, toChatId: $to, clientMessageId: $key) { id text forwarded sender { id } image { id } }
}`;

describe('pinned messages', () => {
  it('admins of a group pin and unpin, latest pin first; members may not; a deletion unpins', async () => {
    const [owner, member] = (await harness.people(2)) as [Person, Person];
    const chatId = (await group(owner, [member])).id;
    const first = await send(member, chatId, 'first');
    const second = await send(member, chatId, 'second');
    expect((await owner.call(PIN, { id: first.id })).data?.pinMessage).toEqual({ id: first.id, pinned: true });
    await owner.call(PIN, { id: second.id });
    expect((await owner.call(PIN, { id: second.id })).errors).toBeUndefined(); // again: nothing changes
    const pinned = (await member.call(PINNED, { id: chatId })).data?.chat.pinned;
    expect(pinned.map((pin: { message: { text: string } }) => pin.message.text)).toEqual(['second', 'first']);
    expect(pinned[0]).toMatchObject({ pinnedBy: { id: owner.id }, pinnedAt: expect.any(String) });

    expect((await member.call(PIN, { id: first.id })).code).toBe('FORBIDDEN');
    expect((await member.call(UNPIN, { id: first.id })).code).toBe('FORBIDDEN');
    expect((await owner.call(UNPIN, { id: first.id })).data?.unpinMessage).toEqual({ id: first.id, pinned: false });
    expect((await owner.call(UNPIN, { id: first.id })).errors).toBeUndefined();

    await member.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: second.id });
    expect((await owner.call(PINNED, { id: chatId })).data?.chat.pinned).toEqual([]);
    expect((await owner.call(PIN, { id: second.id })).code).toBe('BAD_USER_INPUT');
  });

  it(`in a direct chat both people pin; at most ${MAX_PINNED_MESSAGES_PER_CHAT} pins; strangers get NOT_FOUND`, async () => {
    const [alice, bob, eve] = (await harness.people(3)) as [Person, Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const sent = [];
    for (let index = 0; index <= MAX_PINNED_MESSAGES_PER_CHAT; index += 1)
      sent.push(await send(index % 2 ? alice : bob, chatId, `m${index}`));
    expect((await eve.call(PIN, { id: sent[0]!.id })).code).toBe('NOT_FOUND');
    // Pins count as chat changes (30 a minute per person): both people pin.
    for (const [index, message] of sent.slice(0, MAX_PINNED_MESSAGES_PER_CHAT).entries()) {
      const result = await (index < MAX_PINNED_MESSAGES_PER_CHAT / 2 ? alice : bob).call(PIN, { id: message.id });
      expect(result.errors, message.text).toBeUndefined();
    }
    const last = sent.at(-1)!;
    // Bob has pinned 25 this minute; the 51st pin is refused for the chat's sake, not the limit's.
    const refused = await bob.call(PIN, { id: last.id });
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect((await alice.call(PINNED, { id: chatId })).data?.chat.pinned).toHaveLength(MAX_PINNED_MESSAGES_PER_CHAT);
  });
});

describe('forwarding', () => {
  it('copies text and image into another chat of the viewer, marked forwarded, once per clientMessageId', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    const from = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const to = (await bob.call(DIRECT, { userId: carol.id })).data?.startDirectChat.id as string;
    const imageId = await announceImage(harness.nc, alice.id);
    const original = (
      await alice.call('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', {
        input: { chatId: from, clientMessageId: randomUUID(), text: 'look at this', imageId },
      })
    ).data?.sendMessage;
    const key = randomUUID();
    const forwarded = await bob.call(FORWARD, { id: original.id, to, key });
    expect(forwarded.errors, JSON.stringify(forwarded.errors)).toBeUndefined();
    expect(forwarded.data?.forwardMessage).toMatchObject({
      text: 'look at this',
      forwarded: true,
      sender: { id: bob.id },
      image: { id: imageId },
    });
    expect(forwarded.data?.forwardMessage.id.startsWith(`${to}:`)).toBe(true);
    const again = await bob.call(FORWARD, { id: original.id, to, key });
    expect(again.data?.forwardMessage.id).toBe(forwarded.data?.forwardMessage.id);
    // The image stays while the copy shows it, though the original is deleted.
    await alice.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: original.id });
    const copy = await carol.call('query($id: ID!) { message(id: $id) { image { id } } }', {
      id: forwarded.data?.forwardMessage.id,
    });
    expect(copy.data?.message.image).toEqual({ id: imageId });
  });

  it('refuses a message the viewer cannot read, a chat not theirs, and a deleted message', async () => {
    const [alice, bob, eve] = (await harness.people(3)) as [Person, Person, Person];
    const ours = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const evesChat = (await eve.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const message = await send(alice, ours, 'private');
    expect((await eve.call(FORWARD, { id: message.id, to: evesChat, key: randomUUID() })).code).toBe('NOT_FOUND');
    expect((await alice.call(FORWARD, { id: message.id, to: evesChat, key: randomUUID() })).code).toBe('NOT_FOUND');
    expect((await alice.call(FORWARD, { id: message.id, to: 'nope', key: randomUUID() })).code).toBe('BAD_USER_INPUT');
    await alice.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: message.id });
    expect((await bob.call(FORWARD, { id: message.id, to: ours, key: randomUUID() })).code).toBe('BAD_USER_INPUT');
  });

  it(`counts as a send (${SENDS_PER_USER_PER_10_SECONDS} per 10 seconds)`, async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const message = await send(bob, chatId, 'forward me');
    for (let index = 0; index < SENDS_PER_USER_PER_10_SECONDS; index += 1)
      await alice.call(FORWARD, { id: message.id, to: chatId, key: randomUUID() });
    expect((await alice.call(FORWARD, { id: message.id, to: chatId, key: randomUUID() })).code).toBe('RATE_LIMITED');
  });
});

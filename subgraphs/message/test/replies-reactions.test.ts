import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, messageReacted, streamOf } from '@letstalk/events';
import {
  MAX_REACTION_EMOJI_PER_MESSAGE,
  MAX_REACTION_USERS_PAGE_SIZE,
  QUOTE_EXCERPT_LENGTH,
  REACTIONS_PER_USER_PER_10_SECONDS,
} from '../src/limits.ts';
import { DIRECT, group, MESSAGES, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const REPLY = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { id replyTo { id sender { id } excerpt hasImage deleted } }
}`;
const reply = (from: Person, chatId: string, replyToId: string, text = 'an answer') =>
  from.call(REPLY, { input: { chatId, clientMessageId: randomUUID(), text, replyToId } });

const REACTIONS = 'reactions { emoji count viewerReacted users { id } }';
const ADD = `mutation($id: ID!, $emoji: String!) { addReaction(messageId: $id, emoji: $emoji) { id ${REACTIONS} } }`;
const REMOVE = `mutation($id: ID!, $emoji: String!) { removeReaction(messageId: $id, emoji: $emoji) { id ${REACTIONS} } }`;
const MESSAGE = `query($id: ID!) { message(id: $id) { ${REACTIONS} } }`;

describe('replies', () => {
  it('quote the original of the same chat (sender, excerpt), in history too, and follow its edits and deletion', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await group(alice, [bob])).id;
    const long = `${'word '.repeat(30)}\n\nend`;
    const original = await send(alice, chatId, long);
    const answered = await reply(bob, chatId, original.id);
    expect(answered.errors).toBeUndefined();
    const quote = answered.data?.sendMessage.replyTo;
    expect(quote).toMatchObject({ id: original.id, sender: { id: alice.id }, hasImage: false, deleted: false });
    expect([...quote.excerpt].length).toBe(QUOTE_EXCERPT_LENGTH);
    expect(quote.excerpt).toMatch(/^word word .*…$/u);
    expect(quote.excerpt).not.toContain('\n');

    await alice.call('mutation($id: ID!) { editMessage(messageId: $id, text: "short\\nnow") { id } }', {
      id: original.id,
    });
    const page = await bob.call(
      `query($chatId: ID!) { messages(chatId: $chatId, last: 5) { edges { node { id replyTo { excerpt deleted } } } } }`,
      { chatId },
    );
    const nodes = page.data?.messages.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes).toContainEqual({
      id: answered.data?.sendMessage.id,
      replyTo: { excerpt: 'short now', deleted: false },
    });
    expect(nodes).toContainEqual({ id: original.id, replyTo: null });

    await alice.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: original.id });
    const after = await bob.call(
      'query($id: ID!) { message(id: $id) { replyTo { id excerpt deleted sender { id } } } }',
      {
        id: answered.data?.sendMessage.id,
      },
    );
    expect(after.data?.message.replyTo).toEqual({
      id: original.id,
      excerpt: null,
      deleted: true,
      sender: { id: alice.id },
    });
    // A deleted message is not answered any more.
    expect((await reply(bob, chatId, original.id)).code).toBe('BAD_USER_INPUT');
  });

  it('refuse a message of another chat, one that does not exist, and a malformed id', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    const ours = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const theirs = (await carol.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const elsewhere = await send(carol, theirs, 'not for alice');
    const other = await reply(alice, ours, elsewhere.id);
    expect(other.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.extensions?.field).toBe('replyToId');
    expect((await reply(alice, ours, `${ours}:999`)).code).toBe('NOT_FOUND');
    expect((await reply(alice, ours, 'garbage')).code).toBe('BAD_USER_INPUT');
    expect(seqsIn(await alice.call(MESSAGES, { chatId: ours }))).toEqual([]);
  });
});

const seqsIn = (result: { data?: Record<string, any> | null }) =>
  (result.data?.messages.edges ?? []).map((edge: { node: { seq: number } }) => edge.node.seq);

describe('reactions', () => {
  it('count one of each emoji per person, tell the viewer theirs, list people earliest first, and take them back', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    const chatId = (await group(alice, [bob, carol])).id;
    const message = await send(alice, chatId, 'react to me');
    expect((await bob.call(ADD, { id: message.id, emoji: '👍' })).errors).toBeUndefined();
    await carol.call(ADD, { id: message.id, emoji: '👍' });
    await bob.call(ADD, { id: message.id, emoji: '👍' }); // again: nothing changes
    const added = await carol.call(ADD, { id: message.id, emoji: '🎉' });
    expect(added.data?.addReaction.reactions).toEqual([
      { emoji: '👍', count: 2, viewerReacted: true, users: [{ id: bob.id }, { id: carol.id }] },
      { emoji: '🎉', count: 1, viewerReacted: true, users: [{ id: carol.id }] },
    ]);
    expect((await alice.call(MESSAGE, { id: message.id })).data?.message.reactions).toEqual([
      { emoji: '👍', count: 2, viewerReacted: false, users: [{ id: bob.id }, { id: carol.id }] },
      { emoji: '🎉', count: 1, viewerReacted: false, users: [{ id: carol.id }] },
    ]);
    // A skin tone is another reaction; a page of one person.
    await alice.call(ADD, { id: message.id, emoji: '👍🏽' });
    const one = await alice.call(
      'query($id: ID!) { message(id: $id) { reactions { emoji users(first: 1) { id } } } }',
      {
        id: message.id,
      },
    );
    expect(one.data?.message.reactions[0]).toEqual({ emoji: '👍', users: [{ id: bob.id }] });
    expect(one.data?.message.reactions).toHaveLength(3);

    const removed = await bob.call(REMOVE, { id: message.id, emoji: '👍' });
    expect(removed.data?.removeReaction.reactions[0]).toMatchObject({ emoji: '👍', count: 1, viewerReacted: false });
    expect((await bob.call(REMOVE, { id: message.id, emoji: '👍' })).errors).toBeUndefined();
    await carol.call(REMOVE, { id: message.id, emoji: '👍' });
    expect(
      (await carol.call(MESSAGE, { id: message.id })).data?.message.reactions.map(
        (each: { emoji: string }) => each.emoji,
      ),
    ).toEqual(['🎉', '👍🏽']);

    // Deleting the message takes its reactions with it, and a tombstone gets none.
    await alice.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: message.id });
    expect((await bob.call(MESSAGE, { id: message.id })).data?.message.reactions).toEqual([]);
    expect((await bob.call(ADD, { id: message.id, emoji: '👍' })).code).toBe('BAD_USER_INPUT');
  });

  it('refuse anything but one emoji, a message of a chat not theirs, a 21st emoji, and too large a page', async () => {
    const [alice, bob, eve] = (await harness.people(3)) as [Person, Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const message = await send(alice, chatId, 'hello');
    for (const emoji of ['', 'a', '👍👍', ' 👍', '👍 ', ':+1:', '👍a', '🙂'.repeat(40)])
      expect((await bob.call(ADD, { id: message.id, emoji })).code, emoji).toBe('BAD_USER_INPUT');
    // Written into the document rather than as a variable, the same.
    const literal = `mutation { addReaction(messageId: "${message.id}", emoji: "👍👍") { id } }`;
    expect((await bob.call(literal)).code).toBe('BAD_USER_INPUT');
    // A family (a ZWJ sequence) and a flag are one emoji each.
    for (const emoji of ['👨‍👩‍👧‍👦', '🇫🇷'])
      expect((await bob.call(ADD, { id: message.id, emoji })).errors, emoji).toBeUndefined();
    expect((await eve.call(ADD, { id: message.id, emoji: '👍' })).code).toBe('NOT_FOUND');
    expect((await eve.call(REMOVE, { id: message.id, emoji: '👍' })).code).toBe('NOT_FOUND');
    expect((await eve.call(MESSAGE, { id: message.id })).code).toBe('NOT_FOUND');

    const many = [
      '😀',
      '😁',
      '😂',
      '🤣',
      '😃',
      '😄',
      '😅',
      '😆',
      '😉',
      '😊',
      '😋',
      '😎',
      '😍',
      '😘',
      '🥰',
      '😗',
      '😙',
      '😚',
    ];
    for (const [index, emoji] of many.entries()) await (index % 2 ? alice : bob).call(ADD, { id: message.id, emoji });
    const full = await alice.call(MESSAGE, { id: message.id });
    expect(full.data?.message.reactions).toHaveLength(MAX_REACTION_EMOJI_PER_MESSAGE);
    const refused = await alice.call(ADD, { id: message.id, emoji: '🤔' });
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.field).toBe('emoji');
    // One already there still takes more people.
    expect((await alice.call(ADD, { id: message.id, emoji: '🇫🇷' })).errors).toBeUndefined();

    const page = (first: number) =>
      alice.call('query($id: ID!, $first: Int) { message(id: $id) { reactions { users(first: $first) { id } } } }', {
        id: message.id,
        first,
      });
    expect((await page(MAX_REACTION_USERS_PAGE_SIZE)).errors).toBeUndefined();
    expect((await page(MAX_REACTION_USERS_PAGE_SIZE + 1)).code).toBe('BAD_USER_INPUT');
    expect((await page(0)).code).toBe('BAD_USER_INPUT');
  });

  it(`rate-limits one person to ${REACTIONS_PER_USER_PER_10_SECONDS} reactions per 10 seconds`, async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const message = await send(alice, chatId, 'click me');
    const codes: unknown[] = [];
    for (let index = 0; index <= REACTIONS_PER_USER_PER_10_SECONDS; index += 1)
      codes.push((await bob.call(index % 2 ? REMOVE : ADD, { id: message.id, emoji: '👍' })).code);
    expect(codes.slice(0, -1).every((code) => code === undefined)).toBe(true);
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });

  it('leave a durable message.reacted event for every change, none for a reaction that was already there', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const message = await send(alice, chatId, 'events');
    const consumer = await jetstream(harness.nc).consumers.get(streamOf(messageReacted.subject), {
      filter_subjects: messageReacted.subject,
      deliver_policy: DeliverPolicy.New,
    });
    const events = await consumer.consume();
    await bob.call(ADD, { id: message.id, emoji: '❤️' });
    await bob.call(ADD, { id: message.id, emoji: '❤️' });
    await bob.call(REMOVE, { id: message.id, emoji: '❤️' });
    await bob.call(ADD, { id: message.id, emoji: '👀' });
    const timer = setTimeout(() => void events.stop(), 10_000);
    const seen: { emoji: string; added: boolean; userId: string }[] = [];
    for await (const each of events) {
      const event = decodeEvent(messageReacted, each.data);
      if (event.messageId !== message.id) continue;
      seen.push({ emoji: event.emoji, added: event.added, userId: event.userId });
      if (seen.length === 3) break;
    }
    clearTimeout(timer);
    events.stop();
    expect(seen).toEqual([
      { emoji: '❤️', added: true, userId: bob.id },
      { emoji: '❤️', added: false, userId: bob.id },
      { emoji: '👀', added: true, userId: bob.id },
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, messageCreated, streamOf } from '@letstalk/events';
import { MAX_GROUP_MEMBERS, MAX_MESSAGE_LENGTH, SENDS_PER_USER_PER_10_SECONDS } from '../src/limits.ts';
import { announceImage } from '@letstalk/testing';
import { CHAT_FIELDS, DIRECT, group, MESSAGE_FIELDS, SEND, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const people = (count: number) => Promise.all(Array.from({ length: count }, () => harness.person()));
const MESSAGES = `query($chatId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  messages(chatId: $chatId, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { seq text } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;
const seqsOf = (result: { data?: any }) =>
  result.data?.messages.edges.map((edge: { node: { seq: number } }) => edge.node.seq);

describe('direct chats', () => {
  it('get-or-create gives one chat, also when both sides start it at once', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const [fromAlice, fromBob] = await Promise.all([
      alice.call(DIRECT, { userId: bob.id }),
      bob.call(DIRECT, { userId: alice.id }),
    ]);
    expect(fromAlice.errors).toBeUndefined();
    expect(fromAlice.data?.startDirectChat.id).toBe(fromBob.data?.startDirectChat.id);
    const again = await alice.call(DIRECT, { userId: bob.id });
    expect(again.data?.startDirectChat).toMatchObject({
      id: fromAlice.data?.startDirectChat.id,
      kind: 'DIRECT',
      viewerRole: 'MEMBER',
    });
    expect(again.data?.startDirectChat.members).toHaveLength(2);
  });

  it('refuses an account that does not exist and a malformed id', async () => {
    const [alice] = (await people(1)) as [Person];
    expect((await alice.call(DIRECT, { userId: randomUUID() })).code).toBe('NOT_FOUND');
    expect((await alice.call(DIRECT, { userId: 'bob' })).code).toBe('BAD_USER_INPUT');
  });
});

describe('sending', () => {
  it('stores one message for ten concurrent retries with the same clientMessageId', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const clientMessageId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => alice.call(SEND, { input: { chatId, clientMessageId, text: 'once' } })),
    );
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    expect(new Set(results.map((result) => result.data?.sendMessage.id)).size).toBe(1);
    expect(seqsOf(await alice.call(MESSAGES, { chatId }))).toEqual([1]);
  });

  it('numbers concurrent sends 1..n without gaps, in commit order', async () => {
    const members = (await people(5)) as Person[];
    const chatId = (await group(members[0]!, members.slice(1))).id;
    await Promise.all(members.flatMap((member) => [1, 2, 3, 4].map((n) => send(member, chatId, `m${n}`))));
    const all = await members[0]!.call(MESSAGES, { chatId, first: 100 });
    expect(seqsOf(all)).toEqual(Array.from({ length: 20 }, (_, index) => 20 - index));
  });

  it('trims text, structures it, and refuses empty, oversized or malformed input', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const sent = await alice.call(SEND, {
      input: { chatId, clientMessageId: randomUUID(), text: '  Look: https://example.com/a.\n\n<b>not html</b>  ' },
    });
    expect(sent.data?.sendMessage.text).toBe('Look: https://example.com/a.\n\n<b>not html</b>');
    expect(sent.data?.sendMessage.body.paragraphs).toEqual([
      {
        spans: [
          { text: 'Look: ', link: null },
          { text: 'https://example.com/a', link: 'https://example.com/a' },
          { text: '.', link: null },
        ],
      },
      { spans: [{ text: '<b>not html</b>', link: null }] },
    ]);
    const emoji = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), text: '👍🏽🎉' } });
    expect(emoji.data?.sendMessage.body).toMatchObject({ emojiOnly: true, emojiCount: 2 });

    const bad = [
      { chatId, clientMessageId: randomUUID(), text: '   ' },
      { chatId, clientMessageId: randomUUID(), text: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) },
      { chatId, clientMessageId: '', text: 'hi' },
      { chatId, clientMessageId: 'c'.repeat(65), text: 'hi' },
      { chatId: 'not-a-chat', clientMessageId: randomUUID(), text: 'hi' },
      { chatId, clientMessageId: randomUUID() },
    ];
    for (const input of bad)
      expect((await alice.call(SEND, { input })).code, JSON.stringify(input).slice(0, 80)).toBe('BAD_USER_INPUT');
    expect(
      (
        await alice.call(SEND, {
          input: { chatId, clientMessageId: randomUUID(), text: '🙂'.repeat(MAX_MESSAGE_LENGTH) },
        })
      ).errors,
    ).toBeUndefined();
    expect(seqsOf(await alice.call(MESSAGES, { chatId }))).toEqual([3, 2, 1]);
  });

  it(`rate-limits one sender to ${SENDS_PER_USER_PER_10_SECONDS} messages per 10 seconds`, async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    for (let n = 0; n < SENDS_PER_USER_PER_10_SECONDS; n += 1) await send(alice, chatId, `n${n}`);
    const limited = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), text: 'one too many' } });
    expect(limited.code).toBe('RATE_LIMITED');
    // Bob is not limited by Alice's sending, and nothing partial was stored.
    await send(bob, chatId, 'still fine');
    const all = await alice.call(MESSAGES, { chatId, first: 100 });
    expect(all.data?.messages.edges).toHaveLength(SENDS_PER_USER_PER_10_SECONDS + 1);
  });

  it('leaves a durable message.created event on JetStream', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const consumer = await jetstream(harness.nc).consumers.get(streamOf(messageCreated.subject), {
      filter_subjects: messageCreated.subject,
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    const sent = await send(alice, chatId, 'see https://example.org/page for details');
    const timer = setTimeout(() => void messages.stop(), 10_000);
    let event: ReturnType<typeof decodeEvent<typeof messageCreated>> | undefined;
    for await (const message of messages) {
      const candidate = decodeEvent(messageCreated, message.data);
      if (candidate.messageId === sent.id) {
        event = candidate;
        break;
      }
    }
    clearTimeout(timer);
    await messages.stop();
    expect(event).toMatchObject({
      chatId,
      seq: 1,
      senderId: alice.id,
      firstLink: 'https://example.org/page',
      imageId: null,
    });
  });
});

describe('images in messages', () => {
  it('attaches an image its sender uploaded (to any number of messages), and no one else’s', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chat = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id as string;
    const imageId = await announceImage(harness.nc, alice.id);
    const withImage = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq text image { id } } }`;
    const first = await alice.call(withImage, { input: { chatId: chat, clientMessageId: randomUUID(), imageId } });
    expect(first.errors).toBeUndefined();
    expect(first.data?.sendMessage).toMatchObject({ text: null, image: { id: imageId } });
    const again = await alice.call(withImage, {
      input: { chatId: chat, clientMessageId: randomUUID(), imageId, text: 'the same photo' },
    });
    expect(again.data?.sendMessage.image).toEqual({ id: imageId });
    const stolen = await bob.call(withImage, { input: { chatId: chat, clientMessageId: randomUUID(), imageId } });
    expect(stolen.code).toBe('NOT_FOUND');
    expect(
      (await bob.call(withImage, { input: { chatId: chat, clientMessageId: randomUUID(), imageId: 'x' } })).code,
    ).toBe('BAD_USER_INPUT');
  });
});

describe('group photos', () => {
  it('an admin sets a photo they uploaded for CHAT_PHOTO, or removes it; nobody else, nothing else, no malformed id', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chat = (await group(alice, [bob], 'Photo club')).id;
    const photo = await announceImage(harness.nc, alice.id, 'CHAT_PHOTO');
    const forAMessage = await announceImage(harness.nc, alice.id, 'MESSAGE');
    const SET =
      'mutation($chatId: ID!, $imageId: ID) { setChatPhoto(chatId: $chatId, imageId: $imageId) { id photo { id } } }';
    expect((await alice.call(SET, { chatId: chat, imageId: photo })).data?.setChatPhoto.photo).toEqual({ id: photo });
    expect((await bob.call(SET, { chatId: chat, imageId: null })).code).toBe('FORBIDDEN');
    expect((await alice.call(SET, { chatId: chat, imageId: forAMessage })).code).toBe('NOT_FOUND');
    const bobsPhoto = await announceImage(harness.nc, bob.id, 'CHAT_PHOTO');
    expect((await alice.call(SET, { chatId: chat, imageId: bobsPhoto })).code).toBe('NOT_FOUND');
    const direct = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id;
    expect((await alice.call(SET, { chatId: direct, imageId: photo })).code).toBe('FORBIDDEN');
    expect((await alice.call(SET, { chatId: chat, imageId: 'photo' })).code).toBe('BAD_USER_INPUT');
    expect((await alice.call(SET, { chatId: 'club', imageId: photo })).code).toBe('BAD_USER_INPUT');
    expect((await alice.call(SET, { chatId: chat, imageId: null })).data?.setChatPhoto.photo).toBeNull();
  });
});

describe('history', () => {
  it('pages newest first and stays stable while new messages arrive', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    for (let n = 1; n <= 30; n += 1) await send(n % 2 ? alice : bob, chatId, `message ${n}`);
    const first = await alice.call(MESSAGES, { chatId, first: 10 });
    expect(seqsOf(first)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    expect(first.data?.messages.pageInfo.hasNextPage).toBe(true);
    for (let n = 31; n <= 35; n += 1) await send(bob, chatId, `message ${n}`);
    const second = await alice.call(MESSAGES, { chatId, first: 10, after: first.data?.messages.pageInfo.endCursor });
    expect(seqsOf(second)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
    const newer = await alice.call(MESSAGES, { chatId, last: 3, before: first.data?.messages.pageInfo.startCursor });
    expect(seqsOf(newer)).toEqual([33, 32, 31]);
    expect(newer.data?.messages.pageInfo.hasPreviousPage).toBe(true);
    const oldest = await alice.call(MESSAGES, { chatId, first: 10, after: '3' });
    expect(seqsOf(oldest)).toEqual([2, 1]);
    expect(oldest.data?.messages.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad page arguments', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    for (const args of [
      { first: 0 },
      { first: 101 },
      { first: 5, last: 5 },
      { after: 'abc' },
      { before: '-1', last: 2 },
    ]) {
      expect((await alice.call(MESSAGES, { chatId, ...args })).code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('editing and deleting', () => {
  it('the sender edits (editedAt kept); the sender or an admin deletes, leaving a tombstone', async () => {
    const [owner, alice, bob] = (await people(3)) as [Person, Person, Person];
    const chatId = (await group(owner, [alice, bob])).id;
    const message = await send(alice, chatId, 'first draft');
    const edited = await alice.call(
      `mutation($id: ID!) { editMessage(messageId: $id, text: " final ") { ${MESSAGE_FIELDS} } }`,
      { id: message.id },
    );
    expect(edited.data?.editMessage).toMatchObject({ text: 'final', editedAt: expect.any(String), deletedAt: null });

    const byOwner = await owner.call(`mutation($id: ID!) { deleteMessage(messageId: $id) { ${MESSAGE_FIELDS} } }`, {
      id: message.id,
    });
    expect(byOwner.data?.deleteMessage).toMatchObject({
      text: null,
      body: null,
      deletedAt: expect.any(String),
      seq: message.seq,
    });
    expect(
      (await alice.call(`mutation($id: ID!) { editMessage(messageId: $id, text: "again") { id } }`, { id: message.id }))
        .code,
    ).toBe('BAD_USER_INPUT');

    const bobs = await send(bob, chatId, 'mine');
    expect(
      (await bob.call('mutation($id: ID!) { deleteMessage(messageId: $id) { deletedAt } }', { id: bobs.id })).data
        ?.deleteMessage.deletedAt,
    ).toBeTruthy();
    expect(
      (await bob.call('mutation($id: ID!) { editMessage(messageId: $id, text: "") { id } }', { id: message.id })).code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await bob.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: 'garbage' })).code,
    ).toBe('BAD_USER_INPUT');
  });
});

describe('read state', () => {
  it('counts unread messages from others, moves read marks forward only, and shows them to the chat', async () => {
    const [alice, bob] = (await people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const sent = [];
    for (let n = 1; n <= 5; n += 1) sent.push(await send(alice, chatId, `m${n}`));
    await send(bob, chatId, 'bob talks too');
    const CHAT = `query($id: ID!) { chat(id: $id) { unreadCount readMarks { user { id } lastReadSeq lastReadMessageId } } }`;
    expect((await bob.call(CHAT, { id: chatId })).data?.chat.unreadCount).toBe(0);
    expect((await alice.call(CHAT, { id: chatId })).data?.chat.unreadCount).toBe(1);

    const MARK =
      'mutation($chatId: ID!, $id: ID!) { markChatRead(chatId: $chatId, upToMessageId: $id) { unreadCount } }';
    // Bob's own message moved his mark to 6 when he sent it; a mark from before it changes nothing.
    expect((await bob.call(MARK, { chatId, id: sent[2]!.id })).data?.markChatRead.unreadCount).toBe(0);
    const marks = (await alice.call(CHAT, { id: chatId })).data?.chat.readMarks;
    expect(marks).toContainEqual({ user: { id: bob.id }, lastReadSeq: 6, lastReadMessageId: `${chatId}:6` });

    const [carol, dave] = (await people(2)) as [Person, Person];
    const groupId = (await group(carol, [dave])).id;
    const first = await send(carol, groupId, 'one');
    const second = await send(carol, groupId, 'two');
    await send(carol, groupId, 'three');
    expect((await dave.call(MARK, { chatId: groupId, id: second.id })).data?.markChatRead.unreadCount).toBe(1);
    expect((await dave.call(MARK, { chatId: groupId, id: first.id })).data?.markChatRead.unreadCount).toBe(1);
    const readBy = await carol.call('query($id: ID!) { message(id: $id) { readBy { id } } }', { id: second.id });
    expect(readBy.data?.message.readBy).toEqual([{ id: dave.id }]);
    expect((await dave.call(MARK, { chatId: groupId, id: sent[0]!.id })).code).toBe('BAD_USER_INPUT');
  });
});

describe('groups', () => {
  it('has roles: admins manage members, the owner manages admins, and ownership passes on', async () => {
    const [owner, alice, bob, carol] = (await people(4)) as [Person, Person, Person, Person];
    const chatId = (await group(owner, [alice, bob])).id;
    const ROLE =
      'mutation($chatId: ID!, $userId: ID!, $role: ChatRole!) { setChatMemberRole(chatId: $chatId, userId: $userId, role: $role) { id } }';
    const ADD =
      'mutation($chatId: ID!, $ids: [ID!]!) { addChatMembers(chatId: $chatId, userIds: $ids) { members { user { id } role } } }';
    const REMOVE =
      'mutation($chatId: ID!, $userId: ID!) { removeChatMember(chatId: $chatId, userId: $userId) { members { user { id } } } }';
    expect((await owner.call(ROLE, { chatId, userId: alice.id, role: 'ADMIN' })).errors).toBeUndefined();
    const added = await alice.call(ADD, { chatId, ids: [carol.id, bob.id] });
    expect(added.data?.addChatMembers.members).toHaveLength(4);
    expect((await alice.call(REMOVE, { chatId, userId: owner.id })).code).toBe('FORBIDDEN');
    expect((await alice.call(ROLE, { chatId, userId: bob.id, role: 'ADMIN' })).code).toBe('FORBIDDEN');
    expect((await alice.call(REMOVE, { chatId, userId: carol.id })).errors).toBeUndefined();
    expect((await carol.call('query($id: ID!) { chat(id: $id) { id } }', { id: chatId })).code).toBe('NOT_FOUND');

    const RENAME = 'mutation($chatId: ID!, $name: String!) { renameChat(chatId: $chatId, name: $name) { name } }';
    expect((await alice.call(RENAME, { chatId, name: '  Team  ' })).data?.renameChat.name).toBe('Team');
    expect((await alice.call(RENAME, { chatId, name: 'n'.repeat(101) })).code).toBe('BAD_USER_INPUT');

    expect(
      (await owner.call('mutation($chatId: ID!) { leaveChat(chatId: $chatId) }', { chatId })).data?.leaveChat,
    ).toBe(true);
    const after = await alice.call(`query($id: ID!) { chat(id: $id) { ${CHAT_FIELDS} } }`, { id: chatId });
    expect(after.data?.chat.viewerRole).toBe('OWNER');
    expect(after.data?.chat.members.map((entry: { user: { id: string } }) => entry.user.id).sort()).toEqual(
      [alice.id, bob.id].sort(),
    );
  });

  it(`refuses more than ${MAX_GROUP_MEMBERS} members, unknown people and bad names`, async () => {
    const [owner, alice] = (await people(2)) as [Person, Person];
    const tooMany = Array.from({ length: MAX_GROUP_MEMBERS }, () => randomUUID());
    const GROUP_QUERY =
      'mutation($name: String!, $ids: [ID!]!) { createGroupChat(name: $name, memberIds: $ids) { id } }';
    expect((await owner.call(GROUP_QUERY, { name: 'big', ids: tooMany })).code).toBe('BAD_USER_INPUT');
    expect((await owner.call(GROUP_QUERY, { name: 'ghosts', ids: [alice.id, randomUUID()] })).code).toBe('NOT_FOUND');
    expect((await owner.call(GROUP_QUERY, { name: ' ', ids: [alice.id] })).code).toBe('BAD_USER_INPUT');
    expect((await owner.call(GROUP_QUERY, { name: 'ok', ids: ['nope'] })).code).toBe('BAD_USER_INPUT');
  });
});

describe('the chat list', () => {
  it('lists the viewer’s chats by latest activity with the last message and unread count, paged', async () => {
    const [alice, bob, carol, dave] = (await people(4)) as [Person, Person, Person, Person];
    const withBob = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const withCarol = (await alice.call(DIRECT, { userId: carol.id })).data?.startDirectChat.id as string;
    const team = (await group(dave, [alice, bob], 'Team')).id;
    await send(bob, withBob, 'hi alice');
    await send(carol, withCarol, 'hello');
    await send(dave, team, 'standup?');
    await send(bob, withBob, 'are you there?');
    const LIST = `query($first: Int, $after: String) { chats(first: $first, after: $after) { edges { cursor node { id unreadCount lastMessage { text sender { id } } } } pageInfo { hasNextPage endCursor } } }`;
    const page1 = await alice.call(LIST, { first: 2 });
    expect(page1.data?.chats.edges.map((edge: any) => edge.node)).toEqual([
      { id: withBob, unreadCount: 2, lastMessage: { text: 'are you there?', sender: { id: bob.id } } },
      { id: team, unreadCount: 1, lastMessage: { text: 'standup?', sender: { id: dave.id } } },
    ]);
    const page2 = await alice.call(LIST, { first: 2, after: page1.data?.chats.pageInfo.endCursor });
    expect(page2.data?.chats.edges.map((edge: any) => edge.node.id)).toEqual([withCarol]);
    expect(page2.data?.chats.pageInfo.hasNextPage).toBe(false);
    expect((await alice.call(LIST, { first: 51 })).code).toBe('BAD_USER_INPUT');
    expect((await alice.call(LIST, { after: 'zzz' })).code).toBe('BAD_USER_INPUT');
  });
});

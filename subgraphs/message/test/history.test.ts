import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT, group, MESSAGES, send, seqsOf, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

describe('history', () => {
  it('pages newest first and stays stable while new messages arrive', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
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
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
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

describe('read state', () => {
  it('counts unread messages from others, moves read marks forward only, and shows them to the chat', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
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

    const [carol, dave] = (await harness.people(2)) as [Person, Person];
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

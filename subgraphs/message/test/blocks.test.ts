import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT, group, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const BLOCK = 'mutation($id: ID!) { blockUser(userId: $id) { id } }';
const UNBLOCK = 'mutation($id: ID!) { unblockUser(userId: $id) { id } }';
const BLOCKED = '{ blockedUsers { id } }';
const ADD = 'mutation($chatId: ID!, $ids: [ID!]!) { addChatMembers(chatId: $chatId, userIds: $ids) { id } }';
const say = (from: Person, chatId: string, text: string) =>
  from.call('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', {
    input: { chatId, clientMessageId: randomUUID(), text },
  });

describe('blocking', () => {
  it('stops messages both ways in the direct chat, new direct chats and group invitations by the blocked', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    const direct = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const before = await send(bob, direct, 'before');
    expect((await alice.call(BLOCK, { id: bob.id })).data?.blockUser).toEqual({ id: bob.id });
    expect((await alice.call(BLOCK, { id: bob.id })).errors).toBeUndefined(); // again: nothing changes
    expect((await alice.call(BLOCKED)).data?.blockedUsers).toEqual([{ id: bob.id }]);

    expect((await say(bob, direct, 'still there?')).code).toBe('FORBIDDEN');
    expect((await say(alice, direct, 'no')).code).toBe('FORBIDDEN');
    // Nothing else new reaches Alice from Bob either; taking things back stays open.
    const attempts = {
      edit: ['mutation($id: ID!) { editMessage(messageId: $id, text: "changed") { id } }', { id: before.id }],
      react: ['mutation($id: ID!) { addReaction(messageId: $id, emoji: "👍") { id } }', { id: before.id }],
      pin: ['mutation($id: ID!) { pinMessage(messageId: $id) { id } }', { id: before.id }],
      typing: ['mutation($c: ID!) { setTyping(chatId: $c) }', { c: direct }],
      call: ['mutation($c: ID!) { startCall(chatId: $c, offer: "v=0") { id } }', { c: direct }],
    } as const;
    for (const [what, [query, variables]] of Object.entries(attempts))
      expect((await bob.call(query, variables)).code, what).toBe('FORBIDDEN');
    expect(
      (await bob.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: before.id })).errors,
    ).toBeUndefined();
    expect((await bob.call(DIRECT, { userId: alice.id })).code).toBe('FORBIDDEN');
    // Bob cannot put Alice into a group, nor add her to one; Carol can, and groups they share keep working.
    expect(
      (
        await bob.call('mutation($ids: [ID!]!) { createGroupChat(name: "g", memberIds: $ids) { id } }', {
          ids: [alice.id, carol.id],
        })
      ).code,
    ).toBe('FORBIDDEN');
    const shared = (await group(carol, [alice, bob])).id;
    const bobsGroup = (await group(bob, [carol])).id;
    expect((await bob.call(ADD, { chatId: bobsGroup, ids: [alice.id] })).code).toBe('FORBIDDEN');
    expect((await say(bob, shared, 'hi all')).errors).toBeUndefined();

    expect((await alice.call(UNBLOCK, { id: bob.id })).errors).toBeUndefined();
    expect((await alice.call(BLOCKED)).data?.blockedUsers).toEqual([]);
    expect((await say(bob, direct, 'friends again')).errors).toBeUndefined();
    expect((await bob.call(ADD, { chatId: bobsGroup, ids: [alice.id] })).errors).toBeUndefined();
  });

  it('refuses oneself, unknown people and malformed ids; lists the latest block first', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    expect((await alice.call(BLOCK, { id: alice.id })).code).toBe('BAD_USER_INPUT');
    expect((await alice.call(BLOCK, { id: randomUUID() })).code).toBe('NOT_FOUND');
    expect((await alice.call(BLOCK, { id: 'nobody' })).code).toBe('BAD_USER_INPUT');
    await alice.call(BLOCK, { id: bob.id });
    await new Promise((wait) => setTimeout(wait, 5));
    await alice.call(BLOCK, { id: carol.id });
    expect((await alice.call(BLOCKED)).data?.blockedUsers).toEqual([{ id: carol.id }, { id: bob.id }]);
    expect((await bob.call(BLOCKED)).data?.blockedUsers).toEqual([]);
    expect((await harness.call(BLOCKED)).code).toBe('UNAUTHENTICATED');
  });
});

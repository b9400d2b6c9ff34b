import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceImage } from '@letstalk/testing';
import { MAX_GROUP_MEMBERS } from '../src/limits.ts';
import { CHAT_FIELDS, DIRECT, group, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

describe('direct chats', () => {
  it('get-or-create gives one chat, also when both sides start it at once', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
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
    const [alice] = (await harness.people(1)) as [Person];
    expect((await alice.call(DIRECT, { userId: randomUUID() })).code).toBe('NOT_FOUND');
    expect((await alice.call(DIRECT, { userId: 'bob' })).code).toBe('BAD_USER_INPUT');
  });
});

describe('groups', () => {
  it('has roles: admins manage members, the owner manages admins, and ownership passes on', async () => {
    const [owner, alice, bob, carol] = (await harness.people(4)) as [Person, Person, Person, Person];
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
    const [owner, alice] = (await harness.people(2)) as [Person, Person];
    const tooMany = Array.from({ length: MAX_GROUP_MEMBERS }, () => randomUUID());
    const GROUP_QUERY =
      'mutation($name: String!, $ids: [ID!]!) { createGroupChat(name: $name, memberIds: $ids) { id } }';
    expect((await owner.call(GROUP_QUERY, { name: 'big', ids: tooMany })).code).toBe('BAD_USER_INPUT');
    expect((await owner.call(GROUP_QUERY, { name: 'ghosts', ids: [alice.id, randomUUID()] })).code).toBe('NOT_FOUND');
    expect((await owner.call(GROUP_QUERY, { name: ' ', ids: [alice.id] })).code).toBe('BAD_USER_INPUT');
    expect((await owner.call(GROUP_QUERY, { name: 'ok', ids: ['nope'] })).code).toBe('BAD_USER_INPUT');
  });
});

describe('group photos', () => {
  it('an admin sets a photo they uploaded for CHAT_PHOTO, or removes it; nobody else, nothing else, no malformed id', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
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

describe('the chat list', () => {
  it('lists the viewer’s chats by latest activity with the last message and unread count, paged', async () => {
    const [alice, bob, carol, dave] = (await harness.people(4)) as [Person, Person, Person, Person];
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

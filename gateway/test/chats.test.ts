import { describe, expect, it } from 'vitest';
import {
  AddChatMembersDocument,
  ChatDocument,
  ChatsDocument,
  CreateGroupChatDocument,
  MarkChatReadDocument,
  MessagesDocument,
  SetChatMemberRoleDocument,
  StartDirectChatDocument,
} from '@letstalk/sdk';
import { codeOf, say, signUp, uniqueName } from './helpers.ts';

describe('chatting through the gateway', () => {
  it('Alice and Bob chat; names and senders come from the user subgraph', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    expect(chat.kind).toBe('DIRECT');
    expect(chat.name).toMatch(/^Bob /);
    expect(chat.members.map((member) => member.user.displayName).sort()).toEqual([
      expect.stringMatching(/^Alice /),
      expect.stringMatching(/^Bob /),
    ]);

    const { sendMessage } = await say(alice, chat.id, 'Hi Bob! https://example.com 🎉');
    expect(sendMessage.sender.displayName).toMatch(/^Alice /);
    expect(sendMessage.body?.paragraphs[0]?.spans.map((span) => span.link)).toContain('https://example.com/');
    await say(bob, chat.id, 'Hi Alice');
    await say(alice, chat.id, 'How are you?');

    const bobsView = await bob.client.request(ChatDocument, { id: chat.id });
    expect(bobsView.chat.name).toMatch(/^Alice /);
    expect(bobsView.chat.counterpart?.id).toBe(alice.userId);
    expect(bobsView.chat.unreadCount).toBe(1);

    const history = await bob.client.request(MessagesDocument, { chatId: chat.id, first: 10 });
    expect(history.messages.edges.map((edge) => edge.node.text)).toEqual([
      'How are you?',
      'Hi Alice',
      'Hi Bob! https://example.com 🎉',
    ]);
    const newest = history.messages.edges[0]!.node;
    const marked = await bob.client.request(MarkChatReadDocument, { chatId: chat.id, upToMessageId: newest.id });
    expect(marked.markChatRead.unreadCount).toBe(0);
    const read = await alice.client.request(MessagesDocument, { chatId: chat.id, first: 1 });
    expect(read.messages.edges[0]?.node.readBy).toEqual([{ id: bob.userId }]);
  });

  it('a group of three with roles; the chat list shows the last message and its sender', async () => {
    const owner = await signUp({ firstName: 'Olga', lastName: uniqueName() });
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { createGroupChat: team } = await owner.client.request(CreateGroupChatDocument, {
      name: 'Project X',
      memberIds: [alice.userId],
    });
    expect(team.members.map((member) => [member.user.displayName.split(' ')[0], member.role])).toEqual([
      ['Olga', 'OWNER'],
      ['Alice', 'MEMBER'],
    ]);
    expect(await codeOf(alice.client.request(AddChatMembersDocument, { chatId: team.id, userIds: [bob.userId] }))).toBe(
      'FORBIDDEN',
    );
    await owner.client.request(SetChatMemberRoleDocument, { chatId: team.id, userId: alice.userId, role: 'ADMIN' });
    const { addChatMembers } = await alice.client.request(AddChatMembersDocument, {
      chatId: team.id,
      userIds: [bob.userId],
    });
    expect(addChatMembers.members).toHaveLength(3);

    await say(alice, team.id, 'Welcome, Bob');
    const { startDirectChat: direct } = await bob.client.request(StartDirectChatDocument, { userId: owner.userId });
    await say(owner, direct.id, 'Psst, Bob');
    await say(bob, team.id, 'Thanks!');

    const { chats } = await bob.client.request(ChatsDocument, { first: 10 });
    const summary = chats.edges.map(({ node }) => ({
      name: node.name,
      last: node.lastMessage?.text,
      sender: node.lastMessage?.sender.displayName.split(' ')[0],
      unread: node.unreadCount,
    }));
    expect(summary).toEqual([
      { name: 'Project X', last: 'Thanks!', sender: 'Bob', unread: 0 },
      { name: expect.stringMatching(/^Olga /), last: 'Psst, Bob', sender: 'Olga', unread: 1 },
    ]);
  });

  it('keeps non-members out through the gateway as well', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const eve = await signUp();
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    expect(await codeOf(eve.client.request(ChatDocument, { id: chat.id }))).toBe('NOT_FOUND');
    expect(await codeOf(eve.client.request(MessagesDocument, { chatId: chat.id }))).toBe('NOT_FOUND');
    expect(await codeOf(say(eve, chat.id, 'let me in'))).toBe('NOT_FOUND');
  });
});

import { describe, expect, it } from 'vitest';
import {
  AddChatMembersDocument,
  ChatUpdatedDocument,
  CreateGroupChatDocument,
  MessageAddedDocument,
  RemoveChatMemberDocument,
  StartDirectChatDocument,
} from '@letstalk/sdk';
import { MAX_RESUME_CHATS } from '../src/live/resume-points.ts';
import { codeOfFailure, collect, say, signUp, uniqueName, untilLive } from './helpers.ts';

describe('live delivery over graphql-ws: only to members', () => {
  it('refuses a non-member’s subscription and cuts a removed member off at once', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const mallory = await signUp({ firstName: 'Mallory', lastName: uniqueName() });
    const { createGroupChat: group } = await alice.client.request(CreateGroupChatDocument, {
      name: 'Private',
      memberIds: [bob.userId],
    });

    const snooping = collect(mallory.client.subscribe(MessageAddedDocument, { chatId: group.id }));
    await snooping.until(() => snooping.ended, 'the refusal');
    expect(codeOfFailure(snooping.failure)).toBe('FORBIDDEN');
    expect(snooping.data()).toEqual([]);
    const malformed = collect(mallory.client.subscribe(MessageAddedDocument, { chatId: 'not-a-chat-id' }));
    await malformed.until(() => malformed.ended, 'the refusal of a malformed id');
    expect(codeOfFailure(malformed.failure)).toBe('BAD_USER_INPUT');
    const { startDirectChat: own } = await mallory.client.request(StartDirectChatDocument, { userId: alice.userId });
    for (const variables of [
      { chatId: own.id, after: 'not-a-cursor' },
      { since: Array.from({ length: MAX_RESUME_CHATS + 1 }, (_, index) => `${own.id}:${index + 1}`) },
      { since: ['not-a-message-id'] },
      { since: ['not-a-chat:1'] },
      // A seq the message subgraph refuses as a cursor (the gateway does not read it).
      { since: [`${own.id}:x`] },
    ] as { chatId?: string; after?: string; since?: string[] }[]) {
      const refused = collect(mallory.client.subscribe(MessageAddedDocument, variables));
      await refused.until(() => refused.ended, `the refusal of ${JSON.stringify(variables).slice(0, 60)}`);
      expect(codeOfFailure(refused.failure)).toBe('BAD_USER_INPUT');
    }

    const updates = collect(bob.client.subscribe(ChatUpdatedDocument, { chatId: group.id }));
    const added = collect(bob.client.subscribe(MessageAddedDocument, { chatId: group.id, after: '0' }));
    await untilLive(bob.client, alice, group.id);
    await say(alice, group.id, 'before');
    await added.until(() => added.data().length === 1, 'the first message');

    await alice.client.request(RemoveChatMemberDocument, { chatId: group.id, userId: bob.userId });
    await added.until(() => added.ended, 'the end of the removed member’s stream');
    expect(codeOfFailure(added.failure)).toBe('FORBIDDEN');
    await updates.until(() => updates.data().some((data) => data.chatUpdated.kind === 'REMOVED'), 'the removal');
    expect(updates.data().find((data) => data.chatUpdated.kind === 'REMOVED')?.chatUpdated.chat).toBeNull();

    const late = collect(bob.client.subscribe(MessageAddedDocument, {}));
    await say(alice, group.id, 'after');
    await alice.client.request(AddChatMembersDocument, { chatId: group.id, userIds: [mallory.userId] });
    await new Promise((wait) => setTimeout(wait, 500));
    expect(late.data().map((data) => data.messageAdded.text)).not.toContain('after');
    expect(added.data().map((data) => data.messageAdded.text)).toEqual(['before']);
    await Promise.all([updates.stop(), late.stop(), snooping.stop()]);
    await Promise.all([alice, bob, mallory].map((person) => person.client.dispose()));
  });
});

import { describe, expect, it } from 'vitest';
import {
  BlockedUsersDocument,
  BlockUserDocument,
  LetsTalkError,
  StartDirectChatDocument,
  UnblockUserDocument,
} from '@letstalk/sdk';
import { say, signUp, uniqueName } from './helpers.ts';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof LetsTalkError ? error.code : String(error)),
  );

describe('blocking through the gateway', () => {
  it('Alice blocks Bob: his messages in their direct chat are refused, her list shows his name, unblocking ends it', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await bob.client.request(StartDirectChatDocument, { userId: alice.userId });
    await say(bob, chat.id, 'hello');
    await alice.client.request(BlockUserDocument, { userId: bob.userId });
    const { blockedUsers } = await alice.client.request(BlockedUsersDocument);
    expect(blockedUsers).toEqual([{ id: bob.userId, displayName: expect.stringMatching(/^Bob /) }]);
    expect(await codeOf(say(bob, chat.id, 'are you there?'))).toBe('FORBIDDEN');
    expect(await codeOf(bob.client.request(StartDirectChatDocument, { userId: alice.userId }))).toBe('FORBIDDEN');
    await alice.client.request(UnblockUserDocument, { userId: bob.userId });
    expect(await codeOf(say(bob, chat.id, 'there you are'))).toBeUndefined();
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });
});

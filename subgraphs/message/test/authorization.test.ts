import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT, group, send, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
let owner: Person;
let member: Person;
let outsider: Person;
let chatId: string;
let ownersMessageId: string;
/** A call ringing from `owner` to `member` in their direct chat. */
let callId: string;

beforeAll(async () => {
  harness = await startMessageHarness();
  [owner, member, outsider] = await Promise.all([harness.person(), harness.person(), harness.person()]);
  chatId = (await group(owner!, [member!])).id;
  ownersMessageId = (await send(owner!, chatId, 'the original text')).id;
  const direct = await owner!.call(DIRECT, { userId: member!.id });
  const call = await owner!.call('mutation($chatId: ID!) { startCall(chatId: $chatId, offer: "v=0") { id } }', {
    chatId: direct.data?.startDirectChat.id,
  });
  callId = call.data?.startCall.id;
});
afterAll(() => harness?.close());

type Caller = 'anonymous' | 'outsider' | 'member';

/**
 * Every operation on a group where `owner` and `member` are in and `outsider` is not. `expect` says what
 * each caller gets; `undefined` means allowed (not tested here: the other suites cover the effects).
 */
const operations: {
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
  expect: Partial<Record<Caller, string>>;
}[] = [
  {
    name: 'chat',
    query: 'query($id: ID!) { chat(id: $id) { id } }',
    variables: () => ({ id: chatId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'messages',
    query: 'query($chatId: ID!) { messages(chatId: $chatId) { edges { node { id } } } }',
    variables: () => ({ chatId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'message',
    query: 'query($id: ID!) { message(id: $id) { id text } }',
    variables: () => ({ id: ownersMessageId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'chats',
    query: '{ chats { edges { node { id } } } }',
    variables: () => ({}),
    expect: { anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'startDirectChat',
    query: 'mutation($userId: ID!) { startDirectChat(userId: $userId) { id } }',
    variables: () => ({ userId: owner.id }),
    expect: { anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'createGroupChat',
    query: 'mutation($ids: [ID!]!) { createGroupChat(name: "x", memberIds: $ids) { id } }',
    variables: () => ({ ids: [owner.id] }),
    expect: { anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'renameChat',
    query: 'mutation($chatId: ID!) { renameChat(chatId: $chatId, name: "hijacked") { id } }',
    variables: () => ({ chatId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'addChatMembers',
    query: 'mutation($chatId: ID!, $ids: [ID!]!) { addChatMembers(chatId: $chatId, userIds: $ids) { id } }',
    variables: () => ({ chatId, ids: [outsider.id] }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'removeChatMember',
    query: 'mutation($chatId: ID!, $userId: ID!) { removeChatMember(chatId: $chatId, userId: $userId) { id } }',
    variables: () => ({ chatId, userId: owner.id }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'setChatMemberRole',
    query:
      'mutation($chatId: ID!, $userId: ID!) { setChatMemberRole(chatId: $chatId, userId: $userId, role: ADMIN) { id } }',
    variables: () => ({ chatId, userId: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'leaveChat',
    query: 'mutation($chatId: ID!) { leaveChat(chatId: $chatId) }',
    variables: () => ({ chatId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'sendMessage',
    query:
      'mutation($chatId: ID!, $c: String!) { sendMessage(input: { chatId: $chatId, clientMessageId: $c, text: "intruder" }) { id } }',
    variables: () => ({ chatId, c: randomUUID() }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'editMessage',
    query: 'mutation($id: ID!) { editMessage(messageId: $id, text: "tampered") { id } }',
    variables: () => ({ id: ownersMessageId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'deleteMessage',
    query: 'mutation($id: ID!) { deleteMessage(messageId: $id) { id } }',
    variables: () => ({ id: ownersMessageId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'setTyping',
    query: 'mutation($chatId: ID!) { setTyping(chatId: $chatId) }',
    variables: () => ({ chatId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'callSettings',
    query: '{ callSettings { iceServers { urls } } }',
    variables: () => ({}),
    expect: { anonymous: 'UNAUTHENTICATED' },
  },
  {
    name: 'startCall (group)',
    query: 'mutation($chatId: ID!) { startCall(chatId: $chatId, offer: "v=0") { id } }',
    variables: () => ({ chatId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND', member: 'FORBIDDEN' },
  },
  {
    name: 'call',
    query: 'query($id: ID!) { call(id: $id) { id offer } }',
    variables: () => ({ id: callId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'answerCall',
    query: 'mutation($id: ID!) { answerCall(callId: $id, answer: "v=0") { id } }',
    variables: () => ({ id: callId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'declineCall',
    query: 'mutation($id: ID!) { declineCall(callId: $id) { id } }',
    variables: () => ({ id: callId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'endCall',
    query: 'mutation($id: ID!) { endCall(callId: $id) { id } }',
    variables: () => ({ id: callId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'sendIceCandidate',
    query: 'mutation($id: ID!) { sendIceCandidate(callId: $id, candidate: "candidate:1") }',
    variables: () => ({ id: callId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
  {
    name: 'markChatRead',
    query: 'mutation($chatId: ID!, $id: ID!) { markChatRead(chatId: $chatId, upToMessageId: $id) { id } }',
    variables: () => ({ chatId, id: ownersMessageId }),
    expect: { anonymous: 'UNAUTHENTICATED', outsider: 'NOT_FOUND' },
  },
];

const cases = operations.flatMap((operation) =>
  (['anonymous', 'outsider', 'member'] as const)
    .filter((caller) => operation.expect[caller])
    .map((caller) => [operation.name, caller, operation.expect[caller]!, operation] as const),
);

describe('authorization of every operation', () => {
  it.each(cases)('%s by %s → %s', async (_name, caller, code, operation) => {
    const token = caller === 'anonymous' ? undefined : caller === 'outsider' ? outsider.token : member.token;
    const result = await harness.call(operation.query, operation.variables(), token);
    expect(result.code).toBe(code);
    expect(result.data ?? null).toBeNull();
  });

  it('left everything as it was', async () => {
    const chat = await owner.call(
      'query($id: ID!) { chat(id: $id) { name members { user { id } role } messages { edges { node { id text deletedAt } } } } }',
      { id: chatId },
    );
    expect(chat.data?.chat.name).toBe('Test group');
    expect(chat.data?.chat.members.map((entry: { user: { id: string } }) => entry.user.id).sort()).toEqual(
      [owner.id, member.id].sort(),
    );
    expect(chat.data?.chat.messages.edges).toEqual([
      { node: { id: ownersMessageId, text: 'the original text', deletedAt: null } },
    ]);
    const call = await member.call('query($id: ID!) { call(id: $id) { state answer } }', { id: callId });
    expect(call.data?.call).toEqual({ state: 'RINGING', answer: null });
  });

  it('an outsider does not see the chat in their list, and a message id does not leak it', async () => {
    const list = await outsider.call('{ chats { edges { node { id } } } }');
    expect(list.data?.chats.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(chatId);
    const unknownChat = await outsider.call('query($id: ID!) { chat(id: $id) { id } }', { id: randomUUID() });
    expect(unknownChat.code).toBe('NOT_FOUND');
  });
});

import { describe, expect, inject, it } from 'vitest';
import {
  ChatReadDocument,
  CreateGroupChatDocument,
  DeleteMessageDocument,
  EditMessageDocument,
  MarkChatReadDocument,
  MessageAddedDocument,
  MessageUpdatedDocument,
  StartDirectChatDocument,
  TypingDocument,
} from '@letstalk/sdk';
import { clientFor, collect, say, signUp, uniqueName, untilLive } from './helpers.ts';

describe('live delivery over graphql-ws: messages', () => {
  it('Bob sees Alice’s message arrive with the sender’s name resolved, and her typing', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });

    const typing = collect(bob.client.subscribe(TypingDocument, { chatId: chat.id }));
    const added = collect(bob.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await untilLive(bob.client, alice, chat.id);
    expect(typing.data()[0]?.typing).toMatchObject({
      chatId: chat.id,
      user: { id: alice.userId, displayName: expect.stringMatching(/^Alice /) },
    });
    expect(Date.parse(typing.data()[0]!.typing.expiresAt)).toBeGreaterThan(Date.now());

    await say(alice, chat.id, 'Hello Bob, live!');
    await added.until(() => added.data().length === 1, 'the message');
    const message = added.data()[0]!.messageAdded;
    expect(message).toMatchObject({ seq: 1, text: 'Hello Bob, live!', chat: { id: chat.id } });
    expect(message.sender.displayName).toMatch(/^Alice /);
    await Promise.all([typing.stop(), added.stop()]);
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('a group of three: each member gets every message once, in order, on the all-chats stream', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['Alice', 'Bob', 'Carol'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { createGroupChat: group } = await alice!.client.request(CreateGroupChatDocument, {
      name: 'Three',
      memberIds: [bob!.userId, carol!.userId],
    });
    const streams = [bob!, carol!].map((person) => collect(person.client.subscribe(MessageAddedDocument, {})));
    await Promise.all([untilLive(bob!.client, alice!, group.id), untilLive(carol!.client, alice!, group.id)]);
    for (let index = 1; index <= 5; index += 1) await say(alice!, group.id, `message ${index}`);
    for (const stream of streams) {
      await stream.until(() => stream.data().length >= 5, 'five messages');
      await new Promise((wait) => setTimeout(wait, 200));
      expect(stream.data().map((data) => data.messageAdded.text)).toEqual([1, 2, 3, 4, 5].map((n) => `message ${n}`));
      await stream.stop();
    }
    await Promise.all([alice!, bob!, carol!].map((person) => person.client.dispose()));
  });

  it('resumes from the last cursor: all 20 missed messages exactly once, in order, also while more arrive', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });

    const first = collect(bob.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await say(alice, chat.id, 'seen before the drop');
    await first.until(() => first.data().length === 1, 'the first message');
    const lastSeen = first.data()[0]!.messageAdded;
    await first.stop();
    await bob.client.dispose(); // the socket closes

    for (let index = 1; index <= 20; index += 1) await say(alice, chat.id, `missed ${index}`);
    const resumed = collect(
      bob.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: String(lastSeen.seq) }),
    );
    // More messages while the replay runs: they must neither be lost nor doubled at the seam.
    for (let index = 1; index <= 10; index += 1) await say(alice, chat.id, `during ${index}`);
    await resumed.until(() => resumed.data().length >= 30, 'thirty messages');
    await new Promise((wait) => setTimeout(wait, 300));
    const seqs = resumed.data().map((data) => data.messageAdded.seq);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, index) => lastSeen.seq + 1 + index));
    expect(resumed.data().map((data) => data.messageAdded.text)).toEqual([
      ...Array.from({ length: 20 }, (_, index) => `missed ${index + 1}`),
      ...Array.from({ length: 10 }, (_, index) => `during ${index + 1}`),
    ]);
    await resumed.stop();
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('delivers across gateway instances: Alice on one, Bob on another', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const bobElsewhere = clientFor(() => bob.accessToken, undefined, inject('secondGatewayUrl'));
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const added = collect(bobElsewhere.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await untilLive(bobElsewhere, alice, chat.id);
    await say(alice, chat.id, 'from the first gateway');
    await added.until(() => added.data().length === 1, 'the message on the second gateway');
    expect(added.data()[0]!.messageAdded.sender.displayName).toMatch(/^Alice /);
    await added.stop();
    await Promise.all([alice.client.dispose(), bobElsewhere.dispose()]);
  });

  it('edits, deletions and read marks arrive live', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const updated = collect(bob.client.subscribe(MessageUpdatedDocument, { chatId: chat.id }));
    const reads = collect(bob.client.subscribe(ChatReadDocument, {}));
    await untilLive(bob.client, alice, chat.id);

    const { sendMessage } = await say(alice, chat.id, 'tpyo');
    await alice.client.request(EditMessageDocument, { messageId: sendMessage.id, text: 'typo' });
    await updated.until(() => updated.data().length === 1, 'the edit');
    expect(updated.data()[0]!.messageUpdated).toMatchObject({
      id: sendMessage.id,
      text: 'typo',
      editedAt: expect.any(String),
    });
    await alice.client.request(DeleteMessageDocument, { messageId: sendMessage.id });
    await updated.until(() => updated.data().length === 2, 'the deletion');
    expect(updated.data()[1]!.messageUpdated).toMatchObject({
      id: sendMessage.id,
      text: null,
      deletedAt: expect.any(String),
    });

    await bob.client.request(MarkChatReadDocument, { chatId: chat.id, upToMessageId: sendMessage.id });
    await reads.until(() => reads.data().some((data) => data.chatRead.user.id === bob.userId), 'Bob’s own read mark');
    expect(reads.data().find((data) => data.chatRead.user.id === bob.userId)?.chatRead).toMatchObject({
      chatId: chat.id,
      lastReadSeq: sendMessage.seq,
      lastReadMessageId: sendMessage.id,
      user: { displayName: expect.stringMatching(/^Bob /) },
    });
    await Promise.all([updated.stop(), reads.stop()]);
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });
});

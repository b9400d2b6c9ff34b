import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AddReactionDocument,
  ChatUpdatedDocument,
  CreateGroupChatDocument,
  DeleteMessageDocument,
  MessageAddedDocument,
  MessageUpdatedDocument,
  ForwardMessageDocument,
  PinMessageDocument,
  SendMessageDocument,
  StartDirectChatDocument,
} from '@letstalk/sdk';
import { collect, say, signUp, uniqueName, untilLive } from './helpers.ts';

const people = (...names: string[]) =>
  Promise.all(names.map((firstName) => signUp({ firstName, lastName: uniqueName() })));

describe('live delivery over graphql-ws: replies, reactions, pins, forwards', () => {
  it('a reply arrives live with its quote resolved (the original sender’s name from the user subgraph)', async () => {
    const [alice, bob] = await people('Alice', 'Bob');
    const { createGroupChat: group } = await alice!.client.request(CreateGroupChatDocument, {
      name: 'Replies',
      memberIds: [bob!.userId],
    });
    const added = collect(alice!.client.subscribe(MessageAddedDocument, { chatId: group.id, after: '0' }));
    const updated = collect(alice!.client.subscribe(MessageUpdatedDocument, { chatId: group.id }));
    await untilLive(alice!.client, bob!, group.id);
    const { sendMessage: original } = await say(alice!, group.id, 'Lunch at noon?\nOr later.');
    const { sendMessage: answer } = await bob!.client.request(SendMessageDocument, {
      input: { chatId: group.id, clientMessageId: randomUUID(), text: 'Noon works', replyToId: original.id },
    });
    expect(answer.replyTo).toMatchObject({ id: original.id, excerpt: 'Lunch at noon? Or later.' });
    await added.until(() => added.data().length === 2, 'the reply');
    expect(added.data()[1]!.messageAdded.replyTo).toEqual({
      id: original.id,
      excerpt: 'Lunch at noon? Or later.',
      hasImage: false,
      hasFile: false,
      deleted: false,
      sender: { id: alice!.userId, displayName: expect.stringMatching(/^Alice /) },
    });
    // The original deleted: its own update tells clients (the SDK's store) to show the quote as deleted.
    await alice!.client.request(DeleteMessageDocument, { messageId: original.id });
    await updated.until(() => updated.data().length === 1, 'the deletion');
    expect(updated.data()[0]!.messageUpdated).toMatchObject({ id: original.id, deletedAt: expect.any(String) });
    await Promise.all([added.stop(), updated.stop()]);
    await Promise.all([alice!, bob!].map((person) => person.client.dispose()));
  });

  it('a burst of reactions reaches each member as fewer updates than clicks, each with their own viewerReacted', async () => {
    const [alice, bob, ...others] = await people('Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank');
    const { createGroupChat: group } = await alice!.client.request(CreateGroupChatDocument, {
      name: 'Reactions',
      memberIds: [bob!.userId, ...others.map((person) => person.userId)],
    });
    const { sendMessage: message } = await say(alice!, group.id, 'Ship it?');
    // Bob reacts, Alice does not: the same update must say so to each of them.
    const toAlice = collect(alice!.client.subscribe(MessageUpdatedDocument, { chatId: group.id }));
    const toBob = collect(bob!.client.subscribe(MessageUpdatedDocument, { chatId: group.id }));
    await Promise.all([untilLive(alice!.client, bob!, group.id), untilLive(bob!.client, alice!, group.id)]);
    const reactors = [bob!, ...others.map((person) => person)];
    await Promise.all(
      reactors.map((person) => person.client.request(AddReactionDocument, { messageId: message.id, emoji: '🚀' })),
    );
    const settled = (stream: typeof toAlice) => () =>
      stream.data().at(-1)?.messageUpdated.reactions[0]?.count === reactors.length;
    await toAlice.until(settled(toAlice), 'every reaction, to Alice');
    await toBob.until(settled(toBob), 'every reaction, to Bob');
    await new Promise((wait) => setTimeout(wait, 600)); // nothing more comes
    for (const stream of [toAlice, toBob]) expect(stream.data().length).toBeLessThan(reactors.length);
    expect(toAlice.data().at(-1)!.messageUpdated.reactions).toEqual([
      { emoji: '🚀', count: reactors.length, viewerReacted: false },
    ]);
    expect(toBob.data().at(-1)!.messageUpdated.reactions).toEqual([
      { emoji: '🚀', count: reactors.length, viewerReacted: true },
    ]);
    await Promise.all([toAlice.stop(), toBob.stop()]);
    await Promise.all([alice!, bob!, ...others].map((person) => person.client.dispose()));
  });

  it('a pin reaches members as chatUpdated (PINS_CHANGED) and messageUpdated; a forward arrives marked forwarded', async () => {
    const [alice, bob, carol] = await people('Alice', 'Bob', 'Carol');
    const { createGroupChat: group } = await alice!.client.request(CreateGroupChatDocument, {
      name: 'Pins',
      memberIds: [bob!.userId],
    });
    const { startDirectChat: direct } = await bob!.client.request(StartDirectChatDocument, { userId: carol!.userId });
    const chats = collect(bob!.client.subscribe(ChatUpdatedDocument, { chatId: group.id }));
    const updated = collect(bob!.client.subscribe(MessageUpdatedDocument, { chatId: group.id }));
    const added = collect(carol!.client.subscribe(MessageAddedDocument, { chatId: direct.id, after: '0' }));
    await Promise.all([untilLive(bob!.client, alice!, group.id), untilLive(carol!.client, bob!, direct.id)]);
    const { sendMessage: message } = await say(alice!, group.id, 'Read this first');
    await alice!.client.request(PinMessageDocument, { messageId: message.id });
    await chats.until(() => chats.data().some((data) => data.chatUpdated.kind === 'PINS_CHANGED'), 'the pin');
    await updated.until(() => updated.data().some((data) => data.messageUpdated.pinned), 'the pinned message');
    expect(updated.data().at(-1)!.messageUpdated).toMatchObject({ id: message.id, pinned: true });

    await bob!.client.request(ForwardMessageDocument, {
      messageId: message.id,
      toChatId: direct.id,
      clientMessageId: randomUUID(),
    });
    await added.until(() => added.data().length === 1, 'the forwarded copy');
    expect(added.data()[0]!.messageAdded).toMatchObject({
      text: 'Read this first',
      forwarded: true,
      sender: { id: bob!.userId },
    });
    await Promise.all([chats.stop(), updated.stop(), added.stop()]);
    await Promise.all([alice!, bob!, carol!].map((person) => person.client.dispose()));
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  AddChatMembersDocument,
  AnswerCallDocument,
  CallEventsDocument,
  CallSettingsDocument,
  ChatDocument,
  ChatReadDocument,
  ChatUpdatedDocument,
  DeclineCallDocument,
  DeleteMessageDocument,
  EditMessageDocument,
  EndCallDocument,
  MarkChatReadDocument,
  MessageUpdatedDocument,
  SendIceCandidateDocument,
  StartCallDocument,
  CreateGroupChatDocument,
  MessageAddedDocument,
  RemoveChatMemberDocument,
  SendMessageDocument,
  StartDirectChatDocument,
  TypingDocument,
  LetsTalkError,
} from '@letstalk/sdk';
import { MAX_CONNECTIONS_PER_USER } from '../src/websocket.ts';
import { clientFor, codeOfFailure, collect, signUp, uniqueName, untilLive, WAIT_MS, type Person } from './helpers.ts';

const say = (person: Person, chatId: string, text: string) =>
  person.client.request(SendMessageDocument, { input: { chatId, clientMessageId: randomUUID(), text } });

describe('live delivery over graphql-ws', () => {
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
      { since: Array.from({ length: 101 }, (_, index) => `${own.id}:${index + 1}`) },
      { since: ['not-a-message-id'] },
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

  it('a call is offered, answered with candidates relayed, and ended; another is declined', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const { callSettings } = await bob.client.request(CallSettingsDocument);
    expect(callSettings.iceServers).toEqual([{ urls: ['stun:stun.localhost:3478'], username: null, credential: null }]);

    const aliceEvents = collect(alice.client.subscribe(CallEventsDocument));
    const bobEvents = collect(bob.client.subscribe(CallEventsDocument));
    await Promise.all([untilLive(bob.client, alice, chat.id), untilLive(alice.client, bob, chat.id)]);

    const { startCall: call } = await alice.client.request(StartCallDocument, { chatId: chat.id, offer: 'v=0 offer' });
    expect(call).toMatchObject({ state: 'RINGING', caller: { id: alice.userId }, callee: { id: bob.userId } });
    const busy = await bob.client
      .request(StartCallDocument, { chatId: chat.id, offer: 'v=0 other' })
      .catch((error: unknown) => error);
    expect(busy instanceof LetsTalkError && busy.code).toBe('BAD_USER_INPUT');
    await bobEvents.until(() => bobEvents.data().some((data) => data.callEvents.kind === 'OFFERED'), 'the offer');
    expect(bobEvents.data()[0]!.callEvents.call).toMatchObject({
      id: call.id,
      offer: 'v=0 offer',
      caller: { displayName: expect.stringMatching(/^Alice /) },
    });
    const { chat: ringing } = await bob.client.request(ChatDocument, { id: chat.id });
    expect(ringing.activeCall?.id).toBe(call.id);

    const refused = await alice.client
      .request(AnswerCallDocument, { callId: call.id, answer: 'v=0 self' })
      .catch((error: unknown) => error);
    expect(refused instanceof LetsTalkError && refused.code).toBe('FORBIDDEN');
    await bob.client.request(AnswerCallDocument, { callId: call.id, answer: 'v=0 answer' });
    await bob.client.request(SendIceCandidateDocument, {
      callId: call.id,
      candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host',
    });
    await aliceEvents.until(
      () => aliceEvents.data().some((data) => data.callEvents.kind === 'ICE_CANDIDATE'),
      'the answer and the candidate',
    );
    const kinds = aliceEvents.data().map((data) => data.callEvents.kind);
    expect(kinds).toEqual(['OFFERED', 'ANSWERED', 'ICE_CANDIDATE']);
    expect(aliceEvents.data()[1]!.callEvents.call).toMatchObject({ state: 'ACTIVE', answer: 'v=0 answer' });
    expect(aliceEvents.data()[2]!.callEvents.candidate).toBe('candidate:1 1 udp 1 127.0.0.1 9 typ host');
    expect(bobEvents.data().map((data) => data.callEvents.kind)).not.toContain('ICE_CANDIDATE');

    await alice.client.request(EndCallDocument, { callId: call.id });
    await bobEvents.until(() => bobEvents.data().some((data) => data.callEvents.kind === 'ENDED'), 'the hang-up');

    const { startCall: second } = await bob.client.request(StartCallDocument, { chatId: chat.id, offer: 'v=0 again' });
    const { declineCall } = await alice.client.request(DeclineCallDocument, { callId: second.id });
    expect(declineCall.state).toBe('DECLINED');
    await bobEvents.until(() => bobEvents.data().some((data) => data.callEvents.kind === 'DECLINED'), 'the decline');
    const late = await alice.client
      .request(AnswerCallDocument, { callId: second.id, answer: 'v=0 late' })
      .catch((error: unknown) => error);
    expect(late instanceof LetsTalkError && late.code).toBe('BAD_USER_INPUT');

    const outsider = await signUp({ firstName: 'Eve', lastName: uniqueName() });
    const peek = await outsider.client.request(EndCallDocument, { callId: call.id }).catch((error: unknown) => error);
    expect(peek instanceof LetsTalkError && peek.code).toBe('NOT_FOUND');
    await Promise.all([aliceEvents.stop(), bobEvents.stop()]);
    await Promise.all([alice, bob, outsider].map((person) => person.client.dispose()));
  });

  it('a subscription the client completes stops at once; a closed socket frees its connection slot', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, chat.id, 'first');

    // More connections, one after another, than one person may hold at once: each replays the first
    // message (so its subscription is running when the socket closes), then closes.
    for (let index = 0; index <= MAX_CONNECTIONS_PER_USER + 2; index += 1) {
      const client = clientFor(() => bob.accessToken);
      const added = collect(client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
      await added.until(() => added.data().length === 1, `the replay on connection ${index + 1}`);
      await client.dispose();
    }

    // Over one raw graphql-ws socket: "a" is completed by the client, "b" keeps running.
    const socket = new WebSocket(inject('gatewayUrl').replace(/^http/, 'ws'), 'graphql-transport-ws');
    const received: { id?: string; type: string; payload?: { data?: { messageAdded?: { text: string } } } }[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((open) => socket.once('open', open));
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + WAIT_MS;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(received)}`);
        await new Promise((wait) => setTimeout(wait, 20));
      }
    };
    const subscribe = (id: string, after: string) =>
      socket.send(
        JSON.stringify({
          id,
          type: 'subscribe',
          payload: {
            query:
              'subscription($chatId: ID!, $after: String) { messageAdded(chatId: $chatId, after: $after) { text } }',
            variables: { chatId: chat.id, after },
          },
        }),
      );
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bob.accessToken}` } }));
    await until(() => received.some((message) => message.type === 'connection_ack'), 'the connection to be accepted');
    subscribe('a', '0');
    await until(() => received.some((message) => message.id === 'a' && message.type === 'next'), 'the replay on "a"');
    socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    subscribe('b', '1');
    await say(alice, chat.id, 'second');
    await until(() => received.some((message) => message.id === 'b' && message.type === 'next'), '"second" on "b"');
    // "a" listened first: had it outlived its completion, "second" would have reached it before "b".
    expect(
      received.filter((message) => message.id === 'a').map((message) => message.payload?.data?.messageAdded?.text),
    ).toEqual(['first']);
    expect(received.find((message) => message.id === 'b')?.payload?.data?.messageAdded?.text).toBe('second');
    socket.close();
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('limits the operations running at once on one connection', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const streams = Array.from({ length: 51 }, () => collect(alice.client.subscribe(TypingDocument, {})));
    const refused = streams[50]!;
    await refused.until(() => refused.ended, 'the 51st subscription to be refused');
    expect(codeOfFailure(refused.failure)).toBe('RATE_LIMITED');
    expect(streams.slice(0, 50).some((stream) => stream.ended)).toBe(false);
    await Promise.all(streams.map((stream) => stream.stop()));
    await alice.client.dispose();
  });
});

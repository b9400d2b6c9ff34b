import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, everySubjectOf, messageCreated, streamOf } from '@letstalk/events';
import { announceImage } from '@letstalk/testing';
import { MAX_MESSAGE_LENGTH, SENDS_PER_USER_PER_10_SECONDS } from '../src/limits.ts';
import {
  DIRECT,
  group,
  MESSAGE_FIELDS,
  MESSAGES,
  SEND,
  send,
  seqsOf,
  startMessageHarness,
  type Person,
} from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

describe('sending', () => {
  it('stores one message for ten concurrent retries with the same clientMessageId', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const clientMessageId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => alice.call(SEND, { input: { chatId, clientMessageId, text: 'once' } })),
    );
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    expect(new Set(results.map((result) => result.data?.sendMessage.id)).size).toBe(1);
    expect(seqsOf(await alice.call(MESSAGES, { chatId }))).toEqual([1]);
  });

  it('numbers concurrent sends 1..n without gaps, in commit order', async () => {
    const members = await harness.people(5);
    const chatId = (await group(members[0]!, members.slice(1))).id;
    await Promise.all(members.flatMap((member) => [1, 2, 3, 4].map((n) => send(member, chatId, `m${n}`))));
    const all = await members[0]!.call(MESSAGES, { chatId, first: 100 });
    expect(seqsOf(all)).toEqual(Array.from({ length: 20 }, (_, index) => 20 - index));
  });

  it('trims text, structures it, and refuses empty, oversized or malformed input', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const sent = await alice.call(SEND, {
      input: { chatId, clientMessageId: randomUUID(), text: '  Look: https://example.com/a.\n\n<b>not html</b>  ' },
    });
    expect(sent.data?.sendMessage.text).toBe('Look: https://example.com/a.\n\n<b>not html</b>');
    expect(sent.data?.sendMessage.body.paragraphs).toEqual([
      {
        spans: [
          { text: 'Look: ', link: null },
          { text: 'https://example.com/a', link: 'https://example.com/a' },
          { text: '.', link: null },
        ],
      },
      { spans: [{ text: '<b>not html</b>', link: null }] },
    ]);
    const emoji = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), text: '👍🏽🎉' } });
    expect(emoji.data?.sendMessage.body).toMatchObject({ emojiOnly: true, emojiCount: 2 });

    const bad = [
      { chatId, clientMessageId: randomUUID(), text: '   ' },
      { chatId, clientMessageId: randomUUID(), text: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) },
      { chatId, clientMessageId: '', text: 'hi' },
      { chatId, clientMessageId: 'c'.repeat(65), text: 'hi' },
      { chatId: 'not-a-chat', clientMessageId: randomUUID(), text: 'hi' },
      { chatId, clientMessageId: randomUUID() },
    ];
    for (const input of bad)
      expect((await alice.call(SEND, { input })).code, JSON.stringify(input).slice(0, 80)).toBe('BAD_USER_INPUT');
    expect(
      (
        await alice.call(SEND, {
          input: { chatId, clientMessageId: randomUUID(), text: '🙂'.repeat(MAX_MESSAGE_LENGTH) },
        })
      ).errors,
    ).toBeUndefined();
    expect(seqsOf(await alice.call(MESSAGES, { chatId }))).toEqual([3, 2, 1]);
  });

  it(`rate-limits one sender to ${SENDS_PER_USER_PER_10_SECONDS} messages per 10 seconds`, async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    for (let n = 0; n < SENDS_PER_USER_PER_10_SECONDS; n += 1) await send(alice, chatId, `n${n}`);
    const limited = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), text: 'one too many' } });
    expect(limited.code).toBe('RATE_LIMITED');
    // Bob is not limited by Alice's sending, and nothing partial was stored.
    await send(bob, chatId, 'still fine');
    const all = await alice.call(MESSAGES, { chatId, first: 100 });
    expect(all.data?.messages.edges).toHaveLength(SENDS_PER_USER_PER_10_SECONDS + 1);
  });

  it('answers retries of a stored message without costing a send, even once the limit is reached', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const retried = { chatId, clientMessageId: randomUUID(), text: 'once' };
    const id = (await alice.call(SEND, { input: retried })).data?.sendMessage.id;
    for (let n = 0; n < 5; n += 1) expect((await alice.call(SEND, { input: retried })).data?.sendMessage.id).toBe(id);
    for (let n = 1; n < SENDS_PER_USER_PER_10_SECONDS; n += 1) await send(alice, chatId, `n${n}`);
    const limited = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), text: 'one too many' } });
    expect(limited.code).toBe('RATE_LIMITED');
    expect((await alice.call(SEND, { input: retried })).data?.sendMessage.id).toBe(id);
  });

  it('leaves a durable message.created event on JetStream', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data?.startDirectChat.id as string;
    const consumer = await jetstream(harness.nc).consumers.get(streamOf(messageCreated.subject), {
      filter_subjects: everySubjectOf(messageCreated),
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    const sent = await send(alice, chatId, 'see https://example.org/page for details');
    const timer = setTimeout(() => void messages.stop(), 10_000);
    let event: ReturnType<typeof decodeEvent<typeof messageCreated>> | undefined;
    let subject: string | undefined;
    for await (const message of messages) {
      const candidate = decodeEvent(messageCreated, message.data);
      if (candidate.messageId === sent.id) {
        event = candidate;
        subject = message.subject;
        break;
      }
    }
    clearTimeout(timer);
    messages.stop();
    expect(event).toMatchObject({
      chatId,
      seq: 1,
      senderId: alice.id,
      firstLink: 'https://example.org/page',
      imageId: null,
    });
    // On the subject the preview worker filters for, not the media worker's.
    expect(subject).toBe('message.created.link.no-image');
  });
});

describe('images in messages', () => {
  it('attaches an image its sender uploaded (to any number of messages), and no one else’s', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chat = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id as string;
    const imageId = await announceImage(harness.nc, alice.id);
    const withImage = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq text image { id } } }`;
    const first = await alice.call(withImage, { input: { chatId: chat, clientMessageId: randomUUID(), imageId } });
    expect(first.errors).toBeUndefined();
    expect(first.data?.sendMessage).toMatchObject({ text: null, image: { id: imageId } });
    const again = await alice.call(withImage, {
      input: { chatId: chat, clientMessageId: randomUUID(), imageId, text: 'the same photo' },
    });
    expect(again.data?.sendMessage.image).toEqual({ id: imageId });
    const stolen = await bob.call(withImage, { input: { chatId: chat, clientMessageId: randomUUID(), imageId } });
    expect(stolen.code).toBe('NOT_FOUND');
    expect(
      (await bob.call(withImage, { input: { chatId: chat, clientMessageId: randomUUID(), imageId: 'x' } })).code,
    ).toBe('BAD_USER_INPUT');
  });

  it('answers a retry of an image message with the message after it was deleted and its image released', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chat = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id as string;
    const input = { chatId: chat, clientMessageId: randomUUID(), imageId: await announceImage(harness.nc, alice.id) };
    const sent = (await alice.call(SEND, { input })).data?.sendMessage;
    await alice.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: sent.id });
    const retried = await alice.call(SEND, { input });
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.sendMessage).toMatchObject({ id: sent.id });
  });
});

describe('editing and deleting', () => {
  it('the sender edits (editedAt kept); the sender or an admin deletes, leaving a tombstone', async () => {
    const [owner, alice, bob] = (await harness.people(3)) as [Person, Person, Person];
    const chatId = (await group(owner, [alice, bob])).id;
    const message = await send(alice, chatId, 'first draft');
    const edited = await alice.call(
      `mutation($id: ID!) { editMessage(messageId: $id, text: " final ") { ${MESSAGE_FIELDS} } }`,
      { id: message.id },
    );
    expect(edited.data?.editMessage).toMatchObject({ text: 'final', editedAt: expect.any(String), deletedAt: null });

    const byOwner = await owner.call(`mutation($id: ID!) { deleteMessage(messageId: $id) { ${MESSAGE_FIELDS} } }`, {
      id: message.id,
    });
    expect(byOwner.data?.deleteMessage).toMatchObject({
      text: null,
      body: null,
      deletedAt: expect.any(String),
      seq: message.seq,
    });
    expect(
      (await alice.call(`mutation($id: ID!) { editMessage(messageId: $id, text: "again") { id } }`, { id: message.id }))
        .code,
    ).toBe('BAD_USER_INPUT');

    const bobs = await send(bob, chatId, 'mine');
    expect(
      (await bob.call('mutation($id: ID!) { deleteMessage(messageId: $id) { deletedAt } }', { id: bobs.id })).data
        ?.deleteMessage.deletedAt,
    ).toBeTruthy();
    expect(
      (await bob.call('mutation($id: ID!) { editMessage(messageId: $id, text: "") { id } }', { id: message.id })).code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await bob.call('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: 'garbage' })).code,
    ).toBe('BAD_USER_INPUT');
  });
});

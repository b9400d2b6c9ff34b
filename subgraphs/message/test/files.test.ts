import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEvent,
  everySubjectOf,
  messageCreated,
  messageDeleted,
  streamOf,
  type EventContract,
} from '@letstalk/events';
import { announceFile, announceImage } from '@letstalk/testing';
import { DIRECT, group, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { id text file { id } image { id } replyTo { hasFile hasImage } }
}`;
const FORWARD = `mutation($id: ID!, $to: ID!, $key: String!) {
  forwardMessage(messageId: $id, toChatId: $to, clientMessageId: $key) { id forwarded file { id } }
}`;
const DELETE = 'mutation($id: ID!) { deleteMessage(messageId: $id) { id file { id } } }';

/** The next event of `contract` for which `pick` is true, with its subject (JetStream, events from now on). */
async function nextEvent<Contract extends EventContract>(
  contract: Contract,
  pick: (event: ReturnType<typeof decodeEvent<Contract>>) => boolean,
) {
  const consumer = await jetstream(harness.nc).consumers.get(streamOf(contract.subject), {
    filter_subjects: everySubjectOf(contract),
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const timer = setTimeout(() => void messages.stop(), 10_000);
  return (async () => {
    try {
      for await (const message of messages) {
        const event = decodeEvent(contract, message.data);
        if (pick(event)) return { event, subject: message.subject };
      }
      throw new Error(`no ${contract.subject} event came`);
    } finally {
      clearTimeout(timer);
      messages.stop();
    }
  })();
}

describe('files in messages', () => {
  it('attaches a file its sender uploaded, with or without text, and no one else’s; never with an image', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id as string;
    const fileId = await announceFile(harness.nc, alice.id);
    const alone = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), fileId, text: '  ' } });
    expect(alone.errors).toBeUndefined();
    expect(alone.data?.sendMessage).toMatchObject({ text: null, file: { id: fileId }, image: null });
    const captioned = await alice.call(SEND, {
      input: {
        chatId,
        clientMessageId: randomUUID(),
        fileId,
        text: 'the report',
        replyToId: alone.data!.sendMessage.id,
      },
    });
    expect(captioned.data?.sendMessage).toMatchObject({
      text: 'the report',
      file: { id: fileId },
      replyTo: { hasFile: true, hasImage: false },
    });

    expect((await bob.call(SEND, { input: { chatId, clientMessageId: randomUUID(), fileId } })).code).toBe('NOT_FOUND');
    const imageId = await announceImage(harness.nc, alice.id);
    const both = await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), fileId, imageId } });
    expect(both.code).toBe('BAD_USER_INPUT');
    expect(both.errors?.[0]?.extensions?.field).toBe('fileId');
    // An image id is not a file id, nor the other way round.
    expect((await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), fileId: imageId } })).code).toBe(
      'NOT_FOUND',
    );
    expect((await alice.call(SEND, { input: { chatId, clientMessageId: randomUUID(), fileId: 'x' } })).code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('announces the file on message.created.<link>.file, and releases it when the last message showing it goes', async () => {
    const [alice, bob, carol] = (await harness.people(3)) as [Person, Person, Person];
    const direct = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id as string;
    const other = (await group(alice, [carol])).id;
    const fileId = await announceFile(harness.nc, alice.id);

    const created = nextEvent(messageCreated, (event) => event.fileId === fileId);
    const sent = (await alice.call(SEND, { input: { chatId: direct, clientMessageId: randomUUID(), fileId } })).data!
      .sendMessage;
    expect(await created).toMatchObject({
      subject: 'message.created.no-link.file',
      event: { messageId: sent.id, fileId, imageId: null },
    });

    // A forward shows the same file; deleting the original then releases nothing.
    const copy = await alice.call(FORWARD, { id: sent.id, to: other, key: randomUUID() });
    expect(copy.data?.forwardMessage).toMatchObject({ forwarded: true, file: { id: fileId } });
    const first = nextEvent(messageDeleted, (event) => event.messageId === sent.id);
    expect((await alice.call(DELETE, { id: sent.id })).data?.deleteMessage.file).toBeNull();
    expect((await first).event.releasedFileId).toBeNull();
    // Carol sees the copy's file; deleting the copy releases it, and nobody may attach it again.
    const seen = await carol.call('query($id: ID!) { message(id: $id) { file { id } } }', {
      id: copy.data!.forwardMessage.id,
    });
    expect(seen.data?.message.file).toEqual({ id: fileId });
    const last = nextEvent(messageDeleted, (event) => event.messageId === copy.data!.forwardMessage.id);
    await alice.call(DELETE, { id: copy.data!.forwardMessage.id });
    expect((await last).event.releasedFileId).toBe(fileId);
    expect((await alice.call(SEND, { input: { chatId: direct, clientMessageId: randomUUID(), fileId } })).code).toBe(
      'NOT_FOUND',
    );
  });
});

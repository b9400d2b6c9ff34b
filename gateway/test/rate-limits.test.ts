import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CreateGroupChatDocument,
  EditMessageDocument,
  LetsTalkError,
  MarkChatReadDocument,
  RenameChatDocument,
  SendMessageDocument,
  StartDirectChatDocument,
} from '@letstalk/sdk';
import {
  CHAT_CHANGES_PER_USER_PER_MINUTE,
  GROUPS_CREATED_PER_USER_PER_HOUR,
  KNOWN_IMAGE_WAIT_MS,
  MESSAGE_CHANGES_PER_USER_PER_10_SECONDS,
  PEOPLE_ADDED_PER_USER_PER_HOUR,
  READ_MARKS_PER_USER_PER_10_SECONDS,
  SENDS_PER_USER_PER_10_SECONDS,
} from '../../subgraphs/message/src/limits.ts';
import { signUp, uniqueName, type Person } from './helpers.ts';

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof LetsTalkError ? (error.code ?? `HTTP ${error.status}`) : String(error)),
  );

/**
 * Runs `times` calls at once and returns their outcomes, oks first: the burst lands well inside a 10-second
 * window even on a loaded machine (calls one after another might not).
 */
async function burst(times: number, call: (index: number) => Promise<unknown>): Promise<string[]> {
  const outcomes = await Promise.all(Array.from({ length: times }, (_, index) => outcome(call(index))));
  return outcomes.sort((a, b) => Number(b === 'ok') - Number(a === 'ok'));
}

/** Runs `times` calls one after another and returns the outcome of each. */
async function repeat(times: number, call: (index: number) => Promise<unknown>): Promise<string[]> {
  const outcomes: string[] = [];
  for (let index = 0; index < times; index += 1) outcomes.push(await outcome(call(index)));
  return outcomes;
}

async function pair(): Promise<[Person, Person, string]> {
  const [alice, bob] = await Promise.all(
    ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
  );
  const { startDirectChat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
  return [alice!, bob!, startDirectChat.id];
}

describe('every write has a rate limit, counted in the subgraph that owns it', () => {
  it(`renames and other chat changes: ${CHAT_CHANGES_PER_USER_PER_MINUTE} a minute`, async () => {
    const [alice, bob] = await pair();
    const { createGroupChat: group } = await alice.client.request(CreateGroupChatDocument, {
      name: 'Limits',
      memberIds: [bob.userId],
    });
    // The pair's direct chat took one change already.
    const outcomes = await repeat(CHAT_CHANGES_PER_USER_PER_MINUTE, (index) =>
      alice.client.request(RenameChatDocument, { chatId: group.id, name: `Limits ${index}` }),
    );
    expect(outcomes.slice(0, CHAT_CHANGES_PER_USER_PER_MINUTE - 1).every((each) => each === 'ok')).toBe(true);
    expect(outcomes.at(-1)).toBe('RATE_LIMITED');
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it(`groups: ${GROUPS_CREATED_PER_USER_PER_HOUR} an hour, and ${PEOPLE_ADDED_PER_USER_PER_HOUR} people put into groups an hour`, async () => {
    const [alice, bob] = await pair();
    const outcomes = await repeat(GROUPS_CREATED_PER_USER_PER_HOUR + 1, (index) =>
      alice.client.request(CreateGroupChatDocument, { name: `G${index}`, memberIds: [bob.userId] }),
    );
    expect(outcomes.slice(0, -1).every((each) => each === 'ok')).toBe(true);
    expect(outcomes.at(-1)).toBe('RATE_LIMITED');

    // Each try with 255 people counts them, known or not: a stranger-spammer runs out fast, and at once.
    const carol = await signUp({ firstName: 'Carol', lastName: uniqueName() });
    const strangers = () => Array.from({ length: 255 }, () => randomUUID());
    const tries = Math.ceil(PEOPLE_ADDED_PER_USER_PER_HOUR / 255);
    const spam = await repeat(tries + 1, () =>
      carol.client.request(CreateGroupChatDocument, { name: 'Spam', memberIds: strangers() }),
    );
    expect(spam.slice(0, tries)).toEqual(
      Array.from({ length: tries }, (_, index) =>
        index < tries - 1 || PEOPLE_ADDED_PER_USER_PER_HOUR % 255 === 0 ? 'NOT_FOUND' : 'RATE_LIMITED',
      ),
    );
    expect(spam.at(-1)).toBe('RATE_LIMITED');
    await Promise.all([alice.client.dispose(), bob.client.dispose(), carol.client.dispose()]);
  }, 60_000);

  it('an unknown image costs a send, and a limited sender is refused before any wait for it', async () => {
    const [alice, bob, chatId] = await pair();
    const sends = await burst(SENDS_PER_USER_PER_10_SECONDS, () =>
      alice.client.request(SendMessageDocument, { input: { chatId, clientMessageId: randomUUID(), text: 'hi' } }),
    );
    expect(sends.every((each) => each === 'ok')).toBe(true);
    const started = Date.now();
    expect(
      await outcome(
        alice.client.request(SendMessageDocument, {
          input: { chatId, clientMessageId: randomUUID(), imageId: randomUUID() },
        }),
      ),
    ).toBe('RATE_LIMITED');
    // Refused without waiting KNOWN_IMAGE_WAIT_MS (3 s) for an image that will never arrive.
    expect(Date.now() - started).toBeLessThan(KNOWN_IMAGE_WAIT_MS);
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it(`edits and deletions: ${MESSAGE_CHANGES_PER_USER_PER_10_SECONDS} per 10 s; read marks: ${READ_MARKS_PER_USER_PER_10_SECONDS} per 10 s`, async () => {
    const [alice, bob, chatId] = await pair();
    const { sendMessage } = await alice.client.request(SendMessageDocument, {
      input: { chatId, clientMessageId: randomUUID(), text: 'draft' },
    });
    const edits = await burst(MESSAGE_CHANGES_PER_USER_PER_10_SECONDS + 1, (index) =>
      alice.client.request(EditMessageDocument, { messageId: sendMessage.id, text: `draft ${index}` }),
    );
    expect(edits.slice(0, -1).every((each) => each === 'ok')).toBe(true);
    expect(edits.at(-1)).toBe('RATE_LIMITED');
    const marks = await burst(READ_MARKS_PER_USER_PER_10_SECONDS + 1, () =>
      bob.client.request(MarkChatReadDocument, { chatId, upToMessageId: sendMessage.id }),
    );
    expect(marks.slice(0, -1).every((each) => each === 'ok')).toBe(true);
    expect(marks.at(-1)).toBe('RATE_LIMITED');
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });
});

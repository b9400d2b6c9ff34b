import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@letstalk/db';
import { MAX_MUTE_DAYS } from '../src/limits.ts';
import { DIRECT, group, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
beforeAll(async () => {
  harness = await startMessageHarness();
});
afterAll(() => harness?.close());

const MUTE = 'mutation($id: ID!, $until: DateTime) { muteChat(chatId: $id, until: $until) { id muted mutedUntil } }';
const UNMUTE = 'mutation($id: ID!) { unmuteChat(chatId: $id) { id muted mutedUntil } }';
const CHAT = 'query($id: ID!) { chat(id: $id) { muted mutedUntil } }';

describe('muting a chat', () => {
  it('mutes for the viewer alone, until a time or until unmuted; a mute that ended is over', async () => {
    const [alice, bob] = (await harness.people(2)) as [Person, Person];
    const chatId = (await alice.call(DIRECT, { userId: bob.id })).data!.startDirectChat.id as string;
    expect((await alice.call(CHAT, { id: chatId })).data?.chat).toEqual({ muted: false, mutedUntil: null });

    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await alice.call(MUTE, { id: chatId, until })).data?.muteChat).toEqual({
      id: chatId,
      muted: true,
      mutedUntil: until,
    });
    // Bob's view of the chat does not change.
    expect((await bob.call(CHAT, { id: chatId })).data?.chat).toEqual({ muted: false, mutedUntil: null });

    expect((await alice.call(MUTE, { id: chatId })).data?.muteChat).toMatchObject({ muted: true, mutedUntil: null });
    expect((await alice.call(UNMUTE, { id: chatId })).data?.unmuteChat).toMatchObject({ muted: false });

    // A mute whose end has passed is no mute.
    await alice.call(MUTE, { id: chatId, until });
    const pool = createPool(harness.env.DATABASE_URL, harness.env.MESSAGE_DATABASE, 1);
    try {
      await pool.query(
        'UPDATE chat_members SET muted_until = NOW(3) - INTERVAL 1 SECOND WHERE chat_id = ? AND user_id = ?',
        [chatId, alice.id],
      );
    } finally {
      await pool.end();
    }
    expect((await alice.call(CHAT, { id: chatId })).data?.chat).toEqual({ muted: false, mutedUntil: null });
  });

  it(`refuses a mute that ends in the past or more than ${MAX_MUTE_DAYS} days ahead, and a chat the viewer is not in`, async () => {
    const [owner, member, stranger] = (await harness.people(3)) as [Person, Person, Person];
    const chatId = (await group(owner, [member])).id;
    const past = await member.call(MUTE, { id: chatId, until: new Date(Date.now() - 1000).toISOString() });
    expect(past.code).toBe('BAD_USER_INPUT');
    expect(past.errors?.[0]?.extensions?.field).toBe('until');
    const far = await member.call(MUTE, { id: chatId, until: '+010000-01-01T00:00:00.000Z' });
    expect(far.code).toBe('BAD_USER_INPUT');
    const tooFar = new Date(Date.now() + (MAX_MUTE_DAYS + 1) * 86_400_000).toISOString();
    expect((await member.call(MUTE, { id: chatId, until: tooFar })).code).toBe('BAD_USER_INPUT');
    expect((await stranger.call(MUTE, { id: chatId })).code).toBe('NOT_FOUND');
    expect((await stranger.call(UNMUTE, { id: chatId })).code).toBe('NOT_FOUND');
    expect((await member.call(MUTE, { id: 'nope' })).code).toBe('BAD_USER_INPUT');
  });
});

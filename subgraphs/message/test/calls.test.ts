import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ICE_CANDIDATE_LENGTH, MAX_SDP_LENGTH, TYPING_EVENTS_PER_USER_PER_10_SECONDS } from '../src/limits.ts';
import { DIRECT, group, startMessageHarness, type Person } from './harness.ts';

let harness: Awaited<ReturnType<typeof startMessageHarness>>;
afterAll(() => harness?.close());
beforeAll(async () => {
  harness = await startMessageHarness();
});

const START = 'mutation($chatId: ID!, $offer: String!) { startCall(chatId: $chatId, offer: $offer) { id state } }';
const CANDIDATE = 'mutation($id: ID!, $candidate: String!) { sendIceCandidate(callId: $id, candidate: $candidate) }';

async function directChat(a: Person, b: Person): Promise<string> {
  return (await a.call(DIRECT, { userId: b.id })).data?.startDirectChat.id;
}

describe('call signalling input', () => {
  it('refuses oversize or empty SDP and candidates, calls with oneself, and a second call while one rings', async () => {
    const [alice, bob] = await Promise.all([harness.person(), harness.person()]);
    const chatId = await directChat(alice, bob);

    expect((await alice.call(START, { chatId, offer: 'x'.repeat(MAX_SDP_LENGTH + 1) })).code).toBe('BAD_USER_INPUT');
    expect((await alice.call(START, { chatId, offer: '   ' })).code).toBe('BAD_USER_INPUT');
    const notes = await directChat(alice, alice);
    expect((await alice.call(START, { chatId: notes, offer: 'v=0' })).code).toBe('BAD_USER_INPUT');

    const call = await alice.call(START, { chatId, offer: 'v=0' });
    expect(call.data?.startCall.state).toBe('RINGING');
    const callId = call.data?.startCall.id;
    expect((await bob.call(START, { chatId, offer: 'v=0' })).code).toBe('BAD_USER_INPUT');
    expect((await bob.call(CANDIDATE, { id: callId, candidate: 'c'.repeat(MAX_ICE_CANDIDATE_LENGTH + 1) })).code).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      (await bob.call(CANDIDATE, { id: callId, candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' })).data
        ?.sendIceCandidate,
    ).toBe(true);
    expect((await bob.call(CANDIDATE, { id: 'not-a-call', candidate: 'candidate:1' })).code).toBe('BAD_USER_INPUT');

    const ended = await alice.call('mutation($id: ID!) { endCall(callId: $id) { state endedAt } }', { id: callId });
    expect(ended.data?.endCall.state).toBe('ENDED');
    expect((await bob.call(CANDIDATE, { id: callId, candidate: 'candidate:1' })).code).toBe('BAD_USER_INPUT');
    const again = await alice.call('mutation($id: ID!) { endCall(callId: $id) { state } }', { id: callId });
    expect(again.code).toBe('BAD_USER_INPUT');
  });

  it('rate-limits typing per person', async () => {
    const [alice, bob] = await Promise.all([harness.person(), harness.person()]);
    const chatId = (await group(alice, [bob])).id;
    const codes = [];
    for (let index = 0; index <= TYPING_EVENTS_PER_USER_PER_10_SECONDS; index += 1) {
      codes.push((await alice.call('mutation($chatId: ID!) { setTyping(chatId: $chatId) }', { chatId })).code);
    }
    expect(codes.slice(0, TYPING_EVENTS_PER_USER_PER_10_SECONDS)).toEqual(
      Array(TYPING_EVENTS_PER_USER_PER_10_SECONDS).fill(undefined),
    );
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });
});

import { describe, expect, it } from 'vitest';
import {
  AnswerCallDocument,
  CallEventsDocument,
  CallSettingsDocument,
  ChatDocument,
  DeclineCallDocument,
  EndCallDocument,
  LetsTalkError,
  SendIceCandidateDocument,
  StartCallDocument,
  StartDirectChatDocument,
} from '@letstalk/sdk';
import { collect, signUp, uniqueName, untilLive } from './helpers.ts';

describe('live delivery over graphql-ws: calls', () => {
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
});

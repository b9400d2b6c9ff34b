import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { MessageAddedDocument, SendMessageDocument, StartDirectChatDocument } from '@letstalk/sdk';
import { collect, signUp, uniqueName } from './helpers.ts';

describe('a replay is bounded', () => {
  it('replays at most the limit, ends UNAVAILABLE (REPLAY_LIMIT), and resuming from the last cursor brings the rest', async () => {
    const limit = Number(inject('stackEnv').GATEWAY_MAX_REPLAY_MESSAGES);
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
    for (let index = 1; index <= limit + 5; index += 1) {
      await alice!.client.request(SendMessageDocument, {
        input: { chatId: chat.id, clientMessageId: randomUUID(), text: `m${index}` },
      });
    }

    const first = collect(bob!.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await first.until(() => first.ended, 'the replay to stop at its limit');
    expect(first.data().map((data) => data.messageAdded.text)).toEqual(
      Array.from({ length: limit }, (_, index) => `m${index + 1}`),
    );
    const failure = (first.failure as { extensions?: Record<string, unknown> }[])[0]?.extensions;
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', reason: 'REPLAY_LIMIT' });

    const last = first.data().at(-1)!.messageAdded.seq;
    const rest = collect(bob!.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: String(last) }));
    await rest.until(() => rest.data().length === 5, 'the rest');
    expect(rest.data().map((data) => data.messageAdded.text)).toEqual(
      Array.from({ length: 5 }, (_, index) => `m${limit + index + 1}`),
    );
    expect(rest.ended).toBe(false);
    await rest.stop();
    await Promise.all([alice!.client.dispose(), bob!.client.dispose()]);
  });
});

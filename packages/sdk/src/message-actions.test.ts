import { describe, expect, it } from 'vitest';
import type { MessageFieldsFragment } from './generated/graphql.ts';
import { messageActions } from './message-actions.ts';
import { serverMessage } from './test-fixtures.ts';

describe('message actions', () => {
  it('run their mutation and keep the message each answers with, under the chat it belongs to', async () => {
    const asked: { operation: string; variables: unknown }[] = [];
    const kept: [string, MessageFieldsFragment][] = [];
    const answer = serverMessage({ chatId: 'b', clientMessageId: 'copy', text: 'hi' }, 7);
    const actions = messageActions(
      async (document, variables?: unknown) => {
        const operation = (document as unknown as { definitions: { name: { value: string } }[] }).definitions[0]!.name
          .value;
        asked.push({ operation, variables });
        const field = operation.charAt(0).toLowerCase() + operation.slice(1);
        return {
          [field]: { ...answer, forwarded: operation === 'ForwardMessage', pinned: operation === 'PinMessage' },
        } as never;
      },
      (chatId, message) => kept.push([chatId, message]),
      () => 'fixed-key',
    );
    await actions.pin('a', 'a:1');
    const copy = await actions.forward('a:1', 'b');
    expect(copy).toMatchObject({ id: 'b:7', forwarded: true });
    expect(asked).toEqual([
      { operation: 'PinMessage', variables: { messageId: 'a:1' } },
      { operation: 'ForwardMessage', variables: { messageId: 'a:1', toChatId: 'b', clientMessageId: 'fixed-key' } },
    ]);
    expect(kept.map(([chatId, message]) => [chatId, message.pinned, message.forwarded])).toEqual([
      ['a', true, false],
      ['b', false, true],
    ]);
  });
});

import type { MessageFieldsFragment, SendMessageInput } from './generated/graphql.ts';

/** A message as the server answers it (unit tests only). */
export const serverMessage = (
  input: { chatId: string | number; clientMessageId: string; text?: string | null },
  seq = 1,
) =>
  ({
    id: `${input.chatId}:${seq}`,
    seq,
    clientMessageId: input.clientMessageId,
    text: input.text ?? null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    body: null,
    sender: { id: 'me', displayName: 'Me' },
    image: null,
    file: null,
    linkPreview: null,
    forwarded: false,
    pinned: false,
    replyTo: null,
    reactions: [],
  }) as MessageFieldsFragment;

/** A `send` whose answers the test decides: each call waits for `answer` or `fail`. */
export function controlledSend() {
  const calls: {
    input: SendMessageInput;
    resolve: (m: MessageFieldsFragment) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const send = (input: SendMessageInput) =>
    new Promise<MessageFieldsFragment>((resolve, reject) => calls.push({ input, resolve, reject }));
  return { send, calls };
}

import { LetsTalkError } from './client.ts';
import type { MessageFieldsFragment, SendMessageInput } from './generated/graphql.ts';
import { backoffDelay, sleep, type Backoff } from './resume.ts';

/** Tries of one send on network failure before it is `failed` (the app may `retry` it then). */
const SEND_ATTEMPTS = 5;
/** Codes worth trying again with the same `clientMessageId`; any other error fails the send at once. */
const RETRYABLE_CODES = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

/**
 * A message on its way: shown at once, `pending` while it is sent (and re-sent with the same
 * `clientMessageId`, which makes `sendMessage` idempotent), `failed` when it could not be.
 * @public
 */
export interface OutgoingMessage {
  readonly clientMessageId: string;
  readonly chatId: string;
  readonly text: string | null;
  readonly imageId: string | null;
  /** A file uploaded with `uploadFile` (never with an image). */
  readonly fileId: string | null;
  /** The message it answers (`Message.id`), or null. */
  readonly replyToId: string | null;
  readonly status: 'pending' | 'failed';
  /** Why it failed (`failed` only). */
  readonly error?: unknown;
  /** When the app sent it (ISO date-time). */
  readonly createdAt: string;
}

/** @public */
export interface SenderOptions {
  /** Sends the mutation, e.g. `(input) => session.request(SendMessageDocument, { input }).then((r) => r.sendMessage)`. */
  send: (input: SendMessageInput) => Promise<MessageFieldsFragment>;
  attempts?: number;
  backoff?: Backoff;
  now?: () => number;
  randomUUID?: () => string;
}

/** Worth sending again: the network failed, or the server said "later". */
function retryable(error: unknown): boolean {
  if (!(error instanceof LetsTalkError)) return true;
  if (error.code) return RETRYABLE_CODES.has(error.code);
  return error.status === undefined || error.status >= 500 || error.status === 429;
}

/**
 * Optimistic sending: `send` returns the pending message at once and delivers it in the background, retrying
 * with back-off; `received` (the same message seen live) or the mutation's answer settles it, whichever
 * comes first, and `onSent` hands the server's message over once per answer (a store keys it by id, so the
 * live event and the answer make one message).
 * @public
 */
export function createSender(options: SenderOptions) {
  const attempts = options.attempts ?? SEND_ATTEMPTS;
  const now = options.now ?? Date.now;
  const randomUUID = options.randomUUID ?? (() => globalThis.crypto.randomUUID());
  const outgoing = new Map<string, OutgoingMessage>();
  const listeners = new Set<() => void>();
  const sentListeners = new Set<(message: MessageFieldsFragment, chatId: string) => void>();
  let snapshot: readonly OutgoingMessage[] = [];

  const changed = () => {
    snapshot = [...outgoing.values()];
    for (const listener of [...listeners]) listener();
  };
  const set = (message: OutgoingMessage) => {
    outgoing.set(message.clientMessageId, message);
    changed();
  };

  async function deliver(message: OutgoingMessage) {
    const input: SendMessageInput = {
      chatId: message.chatId,
      clientMessageId: message.clientMessageId,
      ...(message.text !== null ? { text: message.text } : {}),
      ...(message.imageId !== null ? { imageId: message.imageId } : {}),
      ...(message.fileId !== null ? { fileId: message.fileId } : {}),
      ...(message.replyToId !== null ? { replyToId: message.replyToId } : {}),
    };
    for (let attempt = 0; ; attempt += 1) {
      // Settled meanwhile (seen live, or discarded): nothing more to send.
      if (outgoing.get(message.clientMessageId) !== message) return;
      try {
        const sent = await options.send(input);
        if (outgoing.get(message.clientMessageId) === message) {
          outgoing.delete(message.clientMessageId);
          changed();
        }
        for (const listener of [...sentListeners]) listener(sent, message.chatId);
        return;
      } catch (error) {
        if (attempt + 1 >= attempts || !retryable(error)) {
          if (outgoing.get(message.clientMessageId) === message) set({ ...message, status: 'failed', error });
          return;
        }
        await sleep(backoffDelay(attempt, options.backoff));
      }
    }
  }

  // One send at a time per chat: the server numbers messages as they arrive, so two sent at once could
  // swap places. A message waits for the one before it in its chat to be sent or to fail.
  const lanes = new Map<string, Promise<void>>();
  function start(message: OutgoingMessage) {
    set(message);
    const before = lanes.get(message.chatId);
    // Nothing ahead of it: it goes at once (in the same tick, as a send without a queue would).
    const lane = (before ? before.then(() => deliver(message)) : deliver(message)).catch(() => undefined);
    lanes.set(message.chatId, lane);
    void lane.then(() => {
      if (lanes.get(message.chatId) === lane) lanes.delete(message.chatId);
    });
    return message;
  }

  return {
    /**
     * Sends a message (text, an image or a file, or text with one of them; `replyToId` makes it a reply); the
     * pending message is returned at once.
     */
    send(
      chatId: string,
      content: string | { text?: string; imageId?: string; fileId?: string; replyToId?: string },
    ): OutgoingMessage {
      const { text, imageId, fileId, replyToId } = typeof content === 'string' ? { text: content } : content;
      return start({
        clientMessageId: randomUUID(),
        chatId,
        text: text ?? null,
        imageId: imageId ?? null,
        fileId: fileId ?? null,
        replyToId: replyToId ?? null,
        status: 'pending',
        createdAt: new Date(now()).toISOString(),
      });
    },
    /** Sends a `failed` message again, with the same `clientMessageId`. */
    retry(clientMessageId: string): void {
      const message = outgoing.get(clientMessageId);
      if (message?.status !== 'failed') return;
      const { error: _error, ...rest } = message;
      start({ ...rest, status: 'pending' });
    },
    /** Forgets a message (a `failed` one the person gave up on). */
    discard(clientMessageId: string): void {
      if (outgoing.delete(clientMessageId)) changed();
    },
    /** The server's message arrived another way (live): the pending one is settled, no more tries. */
    received(message: { clientMessageId: string; chat?: { id: string } }): boolean {
      const pending = outgoing.get(message.clientMessageId);
      if (!pending || (message.chat && message.chat.id !== pending.chatId)) return false;
      outgoing.delete(message.clientMessageId);
      changed();
      return true;
    },
    /** Each answer of `sendMessage`, with the chat it was sent to. */
    onSent(listener: (message: MessageFieldsFragment, chatId: string) => void): () => void {
      sentListeners.add(listener);
      return () => sentListeners.delete(listener);
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The messages not settled yet (pending or failed), in the order they were sent. */
    getSnapshot: (): readonly OutgoingMessage[] => snapshot,
  };
}

/** @public */
export type Sender = ReturnType<typeof createSender>;

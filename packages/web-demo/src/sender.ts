import { createSender, SendMessageDocument, type Session } from '@letstalk/sdk';

/**
 * The SDK's optimistic sender, with one mutation at a time per chat: the SDK's own sends every message at
 * once, so two typed quickly can reach the server (which numbers them as they arrive) in the other order.
 */
export function createOrderedSender(session: Session) {
  const queues = new Map<string, Promise<unknown>>();
  const key = (chatId: string | number) => String(chatId);
  return createSender({
    send: (input) => {
      const previous = queues.get(key(input.chatId)) ?? Promise.resolve();
      const sent = previous
        .catch(() => undefined)
        .then(() => session.request(SendMessageDocument, { input }))
        .then((result) => result.sendMessage);
      queues.set(key(input.chatId), sent);
      return sent;
    },
  });
}

import { createSender, SendMessageDocument, type Session } from '@letstalk/sdk';

/**
 * The SDK's optimistic sender over the session (one send at a time per chat, retried with the same id). The
 * demo makes it itself, rather than letting the store do it, to send images too (`send(chatId, { imageId })`).
 */
export function createChatSender(session: Session) {
  return createSender({
    send: async (input) => (await session.request(SendMessageDocument, { input })).sendMessage,
  });
}

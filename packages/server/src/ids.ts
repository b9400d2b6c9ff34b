import { badUserInput } from '@letstalk/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (any version), as every LetsTalk entity id is. */
const isUuid = (value: string) => UUID.test(value);

/** An id argument: a UUID, lower-cased; anything else is BAD_USER_INPUT. */
export function parseUuid(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`${field} is not a valid id.`, field);
  return value.toLowerCase();
}

/**
 * A message id names its chat and its position, `<chatId>:<seq>`, so finding a message needs no index
 * beyond the (chat, seq) primary key, and stays within one chat's shard.
 */
export const messageIdOf = (message: { chatId: string; seq: number }) => `${message.chatId}:${message.seq}`;

/** A message id argument, its chat id lower-cased; anything else is BAD_USER_INPUT. */
export function parseMessageId(value: string, field = 'messageId'): { chatId: string; seq: number } {
  const [chatId, seqText, ...rest] = value.split(':');
  const seq = Number(seqText);
  if (rest.length > 0 || !chatId || !isUuid(chatId) || !Number.isSafeInteger(seq) || seq < 1) {
    throw badUserInput(`${field} is not a valid message id.`, field);
  }
  return { chatId: chatId.toLowerCase(), seq };
}

/**
 * A cursor into a chat's history: a message's sequence number, so a page stays where it is while new
 * messages arrive.
 */
export const seqCursorOf = (seq: number) => String(seq);

/** A sequence-number cursor this server gave out; anything else is BAD_USER_INPUT. */
export function parseSeqCursor(cursor: string, field: string): number {
  // Fifteen digits at most, so the number is always a safe integer.
  if (!/^\d{1,15}$/.test(cursor)) throw badUserInput('Not a cursor this server gave out.', field);
  return Number(cursor);
}

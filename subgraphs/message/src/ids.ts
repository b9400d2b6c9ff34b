import { badUserInput } from '@letstalk/errors';
import { isUuid, parseUuid } from '@letstalk/server';

export { parseUuid };

/**
 * A message id names its chat and its position, `<chatId>:<seq>`, so finding a message needs no index
 * beyond the (chat, seq) primary key, and stays within one chat's shard.
 */
export const messageIdOf = (message: { chatId: string; seq: number }) => `${message.chatId}:${message.seq}`;

export function parseMessageId(value: string, field = 'messageId'): { chatId: string; seq: number } {
  const [chatId, seqText, ...rest] = value.split(':');
  const seq = Number(seqText);
  if (rest.length > 0 || !chatId || !isUuid(chatId) || !Number.isSafeInteger(seq) || seq < 1) {
    throw badUserInput(`${field} is not a valid message id.`, field);
  }
  return { chatId: chatId.toLowerCase(), seq };
}

/** A `User` owned by the user subgraph: this subgraph only hands out its id. */
export interface UserReference {
  __typename: 'User';
  id: string;
}

export const userReference = (id: string): UserReference => ({ __typename: 'User', id });

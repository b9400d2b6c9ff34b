import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { messageIdOf, parseMessageId, parseSeqCursor, seqCursorOf } from './ids.ts';

const CHAT = '0190a5d2-7c4e-7b3a-9f10-2b3c4d5e6f70';

/** The error `run` throws, for asserting on its message and extensions. */
function errorOf(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('message ids', () => {
  it('formats `<chatId>:<seq>` and parses it back, the chat id lower-cased', () => {
    const id = messageIdOf({ chatId: CHAT, seq: 42 });
    expect(id).toBe(`${CHAT}:42`);
    expect(parseMessageId(id)).toEqual({ chatId: CHAT, seq: 42 });
    expect(parseMessageId(`${CHAT.toUpperCase()}:7`)).toEqual({ chatId: CHAT, seq: 7 });
  });

  it('refuses anything else as BAD_USER_INPUT on the named field', () => {
    for (const value of ['', CHAT, `${CHAT}:0`, `${CHAT}:-1`, `${CHAT}:1.5`, `${CHAT}:x`, `${CHAT}:1:2`, 'chat:1']) {
      const error = errorOf(() => parseMessageId(value, 'upToMessageId'));
      expect(error.message, value).toBe('upToMessageId is not a valid message id.');
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'upToMessageId' });
    }
    expect(errorOf(() => parseMessageId('garbage')).extensions.field).toBe('messageId');
  });
});

describe('sequence-number cursors', () => {
  it('formats a sequence number and parses it back', () => {
    expect(seqCursorOf(30)).toBe('30');
    expect(parseSeqCursor(seqCursorOf(30), 'after')).toBe(30);
    expect(parseSeqCursor('0', 'after')).toBe(0);
    expect(parseSeqCursor('999999999999999', 'after')).toBe(999_999_999_999_999);
  });

  it('refuses what this server never gave out as BAD_USER_INPUT on the named field', () => {
    for (const cursor of ['', 'abc', '-1', '1.5', ' 3', '1e3', '1234567890123456']) {
      const error = errorOf(() => parseSeqCursor(cursor, 'before'));
      expect(error.message, cursor).toBe('Not a cursor this server gave out.');
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'before' });
    }
  });
});

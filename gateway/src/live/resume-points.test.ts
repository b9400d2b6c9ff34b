import { describe, expect, it } from 'vitest';
import { MAX_RESUME_CHATS, resumePoints } from './resume-points.ts';

const codeOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
  return undefined;
};

const C = '0b6f6a3e-8c1d-4c55-9a57-2f1f3c8e9d10';
const D = '5d0c2b7a-1e4f-4a8b-b6c3-9e8d7f6a5b4c';

describe('resumePoints', () => {
  it('resumes one chat after its cursor, or each chat of `since` after its message, in the order given', () => {
    expect([...resumePoints({ chatId: C, after: 'opaque-12', since: [`${D}:1`] })]).toEqual([
      { chatId: C, cursor: 'opaque-12' },
    ]);
    expect([...resumePoints({ chatId: undefined, after: '12', since: [`${D}:3`, `${C.toUpperCase()}:0`] })]).toEqual([
      { chatId: D, cursor: '3' },
      { chatId: C, cursor: '0' },
    ]);
    expect([...resumePoints({ chatId: 'c', after: null, since: null })]).toEqual([]);
    expect([...resumePoints({ chatId: undefined, after: null, since: [] })]).toEqual([]);
  });

  it('refuses what is no message id, and more than MAX_RESUME_CHATS chats, as BAD_USER_INPUT (cursors are the message subgraph’s to refuse)', () => {
    expect([...resumePoints({ chatId: 'c', after: 'x', since: null })]).toEqual([{ chatId: 'c', cursor: 'x' }]);
    expect([...resumePoints({ chatId: undefined, after: null, since: [`${C}:x`] })]).toEqual([
      { chatId: C, cursor: 'x' },
    ]);
    const many = Array.from({ length: MAX_RESUME_CHATS + 1 }, (_, index) => `${C}:${index + 1}`);
    expect(codeOf(() => [...resumePoints({ chatId: undefined, after: null, since: many })])).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'since',
    });
    expect([...resumePoints({ chatId: undefined, after: null, since: many.slice(1) })]).toHaveLength(MAX_RESUME_CHATS);
    for (const since of [['no-seq'], [`${C}:`], ['not-a-chat:1'], [`${C}:1:2`]]) {
      expect(codeOf(() => [...resumePoints({ chatId: undefined, after: null, since })])).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'since',
      });
    }
  });

  it('reads each message id when it is reached: the ones before a malformed one are resumed first', () => {
    const points = resumePoints({ chatId: undefined, after: null, since: [`${C}:1`, 'malformed'] });
    expect(points.next().value).toEqual({ chatId: C, cursor: '1' });
    expect(codeOf(() => points.next())).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

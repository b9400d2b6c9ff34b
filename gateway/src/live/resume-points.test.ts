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

describe('resumePoints', () => {
  it('resumes one chat after its cursor, or each chat of `since` after its message, in the order given', () => {
    expect([...resumePoints({ chatId: 'c', after: '12', since: ['d:1'] })]).toEqual([{ chatId: 'c', afterSeq: 12 }]);
    expect([...resumePoints({ chatId: undefined, after: '12', since: ['d:3', 'c:0'] })]).toEqual([
      { chatId: 'd', afterSeq: 3 },
      { chatId: 'c', afterSeq: 0 },
    ]);
    expect([...resumePoints({ chatId: 'c', after: null, since: null })]).toEqual([]);
    expect([...resumePoints({ chatId: undefined, after: null, since: [] })]).toEqual([]);
  });

  it('refuses a cursor or message id it never gave out, and more than MAX_RESUME_CHATS chats, as BAD_USER_INPUT', () => {
    expect(codeOf(() => [...resumePoints({ chatId: 'c', after: 'x', since: null })])).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    const many = Array.from({ length: MAX_RESUME_CHATS + 1 }, (_, index) => `c${index}:1`);
    expect(codeOf(() => [...resumePoints({ chatId: undefined, after: null, since: many })])).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'since',
    });
    expect([...resumePoints({ chatId: undefined, after: null, since: many.slice(1) })]).toHaveLength(MAX_RESUME_CHATS);
    for (const since of [['no-seq'], ['c:x']]) {
      expect(codeOf(() => [...resumePoints({ chatId: undefined, after: null, since })])).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'since',
      });
    }
  });

  it('reads each message id when it is reached: the ones before a malformed one are resumed first', () => {
    const points = resumePoints({ chatId: undefined, after: null, since: ['c:1', 'malformed'] });
    expect(points.next().value).toEqual({ chatId: 'c', afterSeq: 1 });
    expect(codeOf(() => points.next())).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_COST } from '../operation-cost.ts';
import { ChatHistory, REPLAY_PAGE_SIZE, ReplayBudget, replayPageSize } from './chat-history.ts';

const selection = { selection: '{ seq }', fragments: '', variables: [] };

/** This fake's cursors: a format of its own, so nothing in the gateway can read them. */
const cursorOf = (seq: number) => `at-${seq}`;

/** A chat of `count` messages, read `pageSize` at a time as the message subgraph pages (newest first). */
function historyOf(count: number, pageSize: number, failure?: string) {
  const queries: Record<string, unknown>[] = [];
  const run = async (_query: string, variables: Record<string, unknown>): Promise<ExecutionResult> => {
    queries.push(variables);
    if (failure) return { data: null, errors: [{ message: 'No.', extensions: { code: failure } }] as never };
    const after = Number(/^at-(\d+)$/.exec(String(variables.__before))?.[1] ?? NaN);
    if (Number.isNaN(after))
      return { data: null, errors: [{ message: 'Bad cursor.', extensions: { code: 'BAD_USER_INPUT' } }] as never };
    const seqs = Array.from({ length: count }, (_, index) => index + 1).filter((seq) => seq > after);
    const page = seqs.slice(0, pageSize).reverse();
    return {
      data: {
        r: {
          pageInfo: { hasPreviousPage: seqs.length > pageSize },
          edges: page.map((seq) => ({ cursor: cursorOf(seq), liveSeq: { seq }, node: { seq } })),
        },
      },
    };
  };
  return { history: new ChatHistory(run, {}, { selection, operationName: 'Internal', pageSize }), queries };
}

async function read(history: ChatHistory, chatId: string, afterSeq: number) {
  const seqs: number[] = [];
  for await (const message of history.after(chatId, cursorOf(afterSeq))) seqs.push(message.seq);
  return seqs;
}

describe('ChatHistory', () => {
  it('reads every message after the cursor oldest first, a page per query, each page once the last is consumed', async () => {
    const { history, queries } = historyOf(7, 3);
    expect(await read(history, 'c', 1)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(queries.map((variables) => variables.__before)).toEqual(['at-1', 'at-4']);

    const lazy = historyOf(7, 3);
    for await (const message of lazy.history.after('c', cursorOf(0))) if (message.seq === 2) break;
    expect(lazy.queries).toHaveLength(1);
  });

  it('fails FORBIDDEN for a chat that is not the viewer’s, BAD_USER_INPUT for a cursor refused, UNAVAILABLE when it cannot be read', async () => {
    const refused = historyOf(3, 3).history.after('c', 'not-a-cursor');
    await expect(refused.next()).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(read(historyOf(3, 3, 'NOT_FOUND').history, 'c', 0)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(read(historyOf(3, 3, 'INTERNAL_SERVER_ERROR').history, 'c', 0)).rejects.toMatchObject({
      extensions: { code: 'UNAVAILABLE' },
    });
  });
});

describe('replayPageSize', () => {
  it('keeps one replay query within MAX_QUERY_COST: the full page for a cheap selection, fewer for a costly one', () => {
    expect(replayPageSize(10)).toBe(REPLAY_PAGE_SIZE);
    expect(replayPageSize(MAX_QUERY_COST / 10)).toBeLessThan(REPLAY_PAGE_SIZE);
    expect(replayPageSize(MAX_QUERY_COST / 10) * (MAX_QUERY_COST / 10 + 4)).toBeLessThanOrEqual(MAX_QUERY_COST);
    expect(replayPageSize(MAX_QUERY_COST)).toBe(1);
  });
});

describe('ReplayBudget', () => {
  it('allows its number of messages, then fails UNAVAILABLE with reason REPLAY_LIMIT', () => {
    const budget = new ReplayBudget(3);
    for (let index = 0; index < 3; index += 1) budget.spend();
    expect(() => budget.spend()).toThrow(
      expect.objectContaining({ extensions: { code: 'UNAVAILABLE', reason: 'REPLAY_LIMIT' } }),
    );
  });
});

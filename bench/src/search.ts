import mysql from 'mysql2/promise';
import type { Minter } from '@letstalk/testing';
import { BIG_CHAT_ID, BIG_CHAT_MESSAGES, PAGE, PAGE_QUERY, seedBigChat } from './history.ts';
import { fixed, graphql, latencies } from './measure.ts';

const SAMPLES = 100;
/** Searchers, each under SEARCHES_PER_USER_PER_MINUTE for its share of the samples. */
const SEARCHERS = 12;

const SEARCH_QUERY = `query BenchSearch($query: String!, $chatId: ID) {
  searchMessages(query: $query, chatId: $chatId, first: 20) {
    edges { cursor node { id seq text } excerpt { text match } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * Search on the big chat of the history benchmark (a million messages, each "Message number N: see
 * https://example.com/N"), at the message subgraph: a word in one message, a prefix of words in 1,111 messages, a
 * word in every message (the newest 20 of a million matches, or refused as too broad past SEARCH_TIMEOUT_MS), and
 * that within one chat; beside a page of history from the same chat.
 */
export async function benchSearch(options: { messageUrl: string; databaseUrl: string; mint: Minter }) {
  const db = await mysql.createConnection({ uri: options.databaseUrl });
  try {
    const searchers = await options.mint(SEARCHERS, true);
    await seedBigChat(db, searchers[0]!.userId);
    // What the search indexer would have written for them (migration 0010 does the same on upgrade).
    const [[indexed]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM message_search WHERE chat_id = ?',
      [BIG_CHAT_ID],
    );
    if (Number(indexed?.seq) < BIG_CHAT_MESSAGES) {
      console.log('  indexing the big chat for search (once per database)...');
      const started = Date.now();
      await db.query(
        'INSERT IGNORE INTO message_search (chat_id, seq, created_at, text) SELECT chat_id, seq, created_at, text FROM messages WHERE chat_id = ? AND seq > ?',
        [BIG_CHAT_ID, Number(indexed?.seq)],
      );
      console.log(`  indexed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    // Members from before the first message: search shows only what was sent since a member joined.
    await db.query('INSERT IGNORE INTO chat_members (chat_id, user_id, role, joined_at) VALUES ?', [
      searchers.map((searcher) => [BIG_CHAT_ID, searcher.userId, 'MEMBER', new Date('2000-01-01T00:00:00Z')]),
    ]);
    let turn = 0;
    let refused = 0;
    /** A search's edges; one refused as too broad (SEARCH_TIMEOUT_MS) counts in `refused` and gives none. */
    const search = async (query: string, chatId?: string) => {
      const searcher = searchers[turn++ % searchers.length]!;
      try {
        const result = await graphql<{ searchMessages: { edges: { node: { seq: number } }[] } }>(
          options.messageUrl,
          searcher.token,
          SEARCH_QUERY,
          { query, ...(chatId ? { chatId } : {}) },
        );
        return result.searchMessages.edges;
      } catch (error) {
        if (!String(error).includes('TOO_BROAD')) throw error;
        refused += 1;
        return [];
      }
    };
    const number = () => String(100_000 + Math.floor(Math.random() * 800_000));
    const one = await search(`number ${number()}`);
    if (one.length !== 1) throw new Error('search does not see the big chat as expected');
    const refusedAfter = async <Result>(run: () => Promise<Result>) => {
      refused = 0;
      const result = await run();
      return { ...result, refused };
    };
    const page = () => graphql(options.messageUrl, searchers[0]!.token, PAGE_QUERY, { chatId: BIG_CHAT_ID });
    await latencies(20, page);
    const results = {
      history: await latencies(SAMPLES, page),
      rare: await latencies(SAMPLES, () => search(number())),
      // "Message number 123…": 123, 1230–1239, 12300–12399 and 123000–123999, 1,111 messages for any 3 digits.
      some: await latencies(SAMPLES, () => search(String(100 + Math.floor(Math.random() * 900)))),
      common: await refusedAfter(() => latencies(SAMPLES / 10, () => search('example'))),
      commonInChat: await refusedAfter(() => latencies(SAMPLES / 10, () => search('example', BIG_CHAT_ID))),
    };
    console.log(
      `\nsearch: the chat of ${BIG_CHAT_MESSAGES.toLocaleString('en')} messages at the message subgraph, sequential requests`,
    );
    console.log(`  ${''.padEnd(72)} p50 (ms)  p99 (ms)`);
    const line = (name: string, each: { p50: number; p99: number }) =>
      console.log(`  ${name.padEnd(72)} ${fixed(each.p50, 2)}  ${fixed(each.p99, 2)}`);
    line(`a history page of ${PAGE} (baseline)`, results.history);
    line('search: a word in one message', results.rare);
    line('search: a prefix of words in 1,111 messages (newest 20)', results.some);
    const broad = (each: { refused: number }) => `${each.refused} of ${SAMPLES / 10} refused as too broad`;
    line(`search: a word in every message (${broad(results.common)})`, results.common);
    line(`search: the same, within the chat (${broad(results.commonInChat)})`, results.commonInChat);
    return results;
  } finally {
    await db.end();
  }
}

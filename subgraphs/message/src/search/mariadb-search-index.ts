import { and, desc, eq, gte, or, lt, sql } from 'drizzle-orm';
import type { Pool, RowDataPacket } from '@letstalk/db';
import { chatMembers, messageSearch, type MessageDb } from '../data/tables.ts';
import { MAX_CONCURRENT_SEARCHES, SEARCH_TIMEOUT_MS } from '../limits.ts';
import { SearchBusy, SearchTooBroad, type SearchIndex, type SearchPosition } from './search-index.ts';

/** MariaDB's `max_statement_time` and MySQL's `MAX_EXECUTION_TIME` errors. */
const ER_STATEMENT_TIMEOUT = 1969;
const ER_QUERY_TIMEOUT = 3024;

/**
 * InnoDB FULLTEXT over `message_search` (MariaDB 10.11, MySQL 8): every word required, as a prefix, in boolean
 * mode; the viewer's membership and join time checked in the same statement.
 */
export function mariadbSearchIndex(db: MessageDb, pool: Pool): SearchIndex {
  let mariadb: Promise<boolean> | undefined;
  // Searches this process has at the database now: each may take up to SEARCH_TIMEOUT_MS of a core there.
  let running = 0;
  return {
    async put(entry) {
      await db
        .insert(messageSearch)
        .values(entry)
        .onDuplicateKeyUpdate({ set: { text: entry.text, createdAt: entry.createdAt } });
    },
    async remove(key) {
      await db.delete(messageSearch).where(and(eq(messageSearch.chatId, key.chatId), eq(messageSearch.seq, key.seq)));
    },
    async search(request): Promise<SearchPosition[]> {
      // Asked once; a failed answer is asked again next time.
      const flavor = (mariadb ??= db
        .execute(sql`SELECT VERSION() AS version`)
        .then(([rows]) => String((rows as unknown as { version: string }[])[0]?.version).includes('MariaDB'))
        .catch((error: unknown) => {
          mariadb = undefined;
          throw error;
        }));
      if (running >= MAX_CONCURRENT_SEARCHES) throw new SearchBusy();
      // The words are letters and digits only, so nothing in them is a boolean-mode operator.
      const against = request.words.map((word) => `+${word}*`).join(' ');
      const after = request.after;
      const query = db
        .select({ chatId: messageSearch.chatId, seq: messageSearch.seq, createdAt: messageSearch.createdAt })
        .from(messageSearch)
        .innerJoin(
          chatMembers,
          and(eq(chatMembers.chatId, messageSearch.chatId), eq(chatMembers.userId, request.viewerId)),
        )
        .where(
          and(
            sql`MATCH(${messageSearch.text}) AGAINST (${against} IN BOOLEAN MODE)`,
            gte(messageSearch.createdAt, chatMembers.joinedAt),
            request.chatId === undefined ? undefined : eq(messageSearch.chatId, request.chatId),
            after === undefined
              ? undefined
              : or(
                  lt(messageSearch.createdAt, after.createdAt),
                  and(
                    eq(messageSearch.createdAt, after.createdAt),
                    or(
                      lt(messageSearch.chatId, after.chatId),
                      and(eq(messageSearch.chatId, after.chatId), lt(messageSearch.seq, after.seq)),
                    ),
                  ),
                ),
          ),
        )
        .orderBy(desc(messageSearch.createdAt), desc(messageSearch.chatId), desc(messageSearch.seq))
        .limit(request.first);
      // Stopped by the server past SEARCH_TIMEOUT_MS: MariaDB's statement time limit, MySQL's optimizer hint.
      const { sql: text, params } = query.toSQL();
      const limited = (await flavor)
        ? `SET STATEMENT max_statement_time=${SEARCH_TIMEOUT_MS / 1000} FOR ${text}`
        : text.replace(/^select /i, `select /*+ MAX_EXECUTION_TIME(${SEARCH_TIMEOUT_MS}) */ `);
      running += 1;
      try {
        const [rows] = await pool.query<RowDataPacket[]>({ sql: limited, rowsAsArray: true }, params);
        return (rows as unknown as [string, number | string, Date | string][]).map(([chatId, seq, createdAt]) => ({
          chatId,
          seq: Number(seq),
          createdAt: new Date(createdAt),
        }));
      } catch (error) {
        const errno = (error as { errno?: number }).errno;
        if (errno === ER_STATEMENT_TIMEOUT || errno === ER_QUERY_TIMEOUT) throw new SearchTooBroad();
        throw error;
      } finally {
        running -= 1;
      }
    },
  };
}

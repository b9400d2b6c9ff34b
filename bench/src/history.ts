import mysql from 'mysql2/promise';
import { fixed, graphql, latencies } from './measure.ts';

/** The benchmark's big chat: created once per database and kept, since writing it takes a while. */
export const BIG_CHAT_ID = '00000000-0000-7000-8000-00000000b16c';
export const BIG_CHAT_MESSAGES = 1_000_000;
const SEED_BATCH = 10_000;
const SAMPLES = 500;
export const PAGE = 50;

export const PAGE_QUERY = `query BenchHistory($chatId: ID!, $after: String) {
  messages(chatId: $chatId, first: ${PAGE}, after: $after) {
    edges { cursor node { id seq text createdAt editedAt sender { id } body { emojiOnly paragraphs { spans { text link } } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Writes the big chat straight into the message database (what a million sends would leave behind). */
export async function seedBigChat(db: mysql.Connection, senderId: string): Promise<void> {
  await db.query(
    "INSERT IGNORE INTO chats (id, kind, name, last_seq) VALUES (?, 'GROUP', 'Benchmark: a million messages', 0)",
    [BIG_CHAT_ID],
  );
  const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT last_seq FROM chats WHERE id = ?', [BIG_CHAT_ID]);
  let seq = Number(row?.last_seq ?? 0);
  if (seq >= BIG_CHAT_MESSAGES) return;
  console.log(`  seeding ${BIG_CHAT_MESSAGES - seq} messages (once per database)...`);
  const started = Date.now();
  while (seq < BIG_CHAT_MESSAGES) {
    const rows = [];
    for (let index = 0; index < SEED_BATCH && seq < BIG_CHAT_MESSAGES; index += 1) {
      seq += 1;
      rows.push([BIG_CHAT_ID, seq, senderId, `bench-${seq}`, `Message number ${seq}: see https://example.com/${seq}`]);
    }
    await db.query('INSERT INTO messages (chat_id, seq, sender_id, client_message_id, text) VALUES ?', [rows]);
    await db.query('UPDATE chats SET last_seq = ? WHERE id = ?', [seq, BIG_CHAT_ID]);
  }
  console.log(`  seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * A page of 50 from a chat of a million messages, at the newest and at the oldest end of the history, at
 * the message subgraph; the baseline is the same page read by raw SQL on the primary key in this run.
 */
export async function benchHistory(options: {
  messageUrl: string;
  databaseUrl: string;
  viewer: { token: string; userId: string };
}) {
  const db = await mysql.createConnection({ uri: options.databaseUrl });
  try {
    await seedBigChat(db, options.viewer.userId);
    await db.query("INSERT IGNORE INTO chat_members (chat_id, user_id, role) VALUES (?, ?, 'MEMBER')", [
      BIG_CHAT_ID,
      options.viewer.userId,
    ]);
    await db.query('INSERT IGNORE INTO user_chats (user_id, chat_id) VALUES (?, ?)', [
      options.viewer.userId,
      BIG_CHAT_ID,
    ]);

    const page = (after?: string) =>
      graphql<{ messages: { edges: { node: { seq: number } }[] } }>(
        options.messageUrl,
        options.viewer.token,
        PAGE_QUERY,
        {
          chatId: BIG_CHAT_ID,
          after,
        },
      );
    const newest = await page();
    const oldest = await page(String(PAGE + 1));
    if (newest.messages.edges[0]?.node.seq !== BIG_CHAT_MESSAGES || oldest.messages.edges.at(-1)?.node.seq !== 1) {
      throw new Error('the big chat does not hold the expected history');
    }
    const raw = (beforeSeq: number) =>
      db.query('SELECT * FROM messages WHERE chat_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?', [
        BIG_CHAT_ID,
        beforeSeq,
        PAGE + 1,
      ]);
    await latencies(50, () => page());
    const results = {
      sqlNewest: await latencies(SAMPLES, () => raw(BIG_CHAT_MESSAGES + 1)),
      sqlOldest: await latencies(SAMPLES, () => raw(PAGE + 1)),
      newest: await latencies(SAMPLES, () => page()),
      oldest: await latencies(SAMPLES, () => page(String(PAGE + 1))),
    };
    const spread = Math.max(results.newest.p99, results.oldest.p99) / Math.min(results.newest.p99, results.oldest.p99);
    console.log(
      `\nhistory: a page of ${PAGE} from a chat of ${BIG_CHAT_MESSAGES.toLocaleString('en')} messages, ${SAMPLES} sequential requests each`,
    );
    console.log(`                                 p50 (ms)  p99 (ms)`);
    console.log(
      `  raw SQL, newest (baseline)     ${fixed(results.sqlNewest.p50, 2)}  ${fixed(results.sqlNewest.p99, 2)}`,
    );
    console.log(
      `  raw SQL, oldest (baseline)     ${fixed(results.sqlOldest.p50, 2)}  ${fixed(results.sqlOldest.p99, 2)}`,
    );
    console.log(`  message subgraph, newest page  ${fixed(results.newest.p50, 2)}  ${fixed(results.newest.p99, 2)}`);
    console.log(`  message subgraph, oldest page  ${fixed(results.oldest.p50, 2)}  ${fixed(results.oldest.p99, 2)}`);
    console.log(`  p99 target ≤ 20 ms; newest/oldest p99 spread ${spread.toFixed(2)}× (target ≤ 2×)`);
    return { ...results, spread };
  } finally {
    await db.end();
  }
}

import type { Pool, ResultSetHeader, RowDataPacket } from '@letstalk/db';
import { onScrape, outboxOldestPendingAge, outboxPending } from '@letstalk/metrics';

/** Published rows are kept this long (for inspection), then deleted. */
export const OUTBOX_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Rows one purge statement deletes; a purge repeats it until it deletes fewer (short locks, any backlog). */
const OUTBOX_PURGE_BATCH_SIZE = 10_000;
/** Pending rows counted at a scrape: past this, the gauge says "at least this many" and the count stays cheap. */
const OUTBOX_PENDING_COUNT_LIMIT = 100_000;

/**
 * Deletes the outbox rows published before `before`, {@link OUTBOX_PURGE_BATCH_SIZE} at a time (oldest first,
 * through the `(published_at, id)` index) until a batch finds fewer, so the purge keeps up whatever the event
 * rate (one batch an hour fell behind above ~3 events/s); stops between batches when `keepGoing` says so.
 * Resolves with the number of rows deleted.
 */
export async function purgePublishedOutbox(
  pool: Pool,
  before: Date,
  options: { batchSize?: number; keepGoing?: () => boolean } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? OUTBOX_PURGE_BATCH_SIZE;
  let deleted = 0;
  for (;;) {
    const [result] = await pool.query<ResultSetHeader>(
      'DELETE FROM outbox WHERE published_at < ? ORDER BY published_at, id LIMIT ?',
      [before, batchSize],
    );
    deleted += result.affectedRows;
    if (result.affectedRows < batchSize || options.keepGoing?.() === false) return deleted;
  }
}

/** How long the backlog query may run on its connection (a scrape waits 2 s for it at most anyway). */
const BACKLOG_QUERY_TIMEOUT_MS = 2_000;

/**
 * Reads the outbox backlog at each scrape: the rows not yet published (counted up to a limit) and the age
 * of the oldest, by the database's own clock (the one `created_at` was written with). Both use the
 * `(published_at, id)` index. It runs on the service's own pool: it is given a query timeout, and while one
 * reading waits (for a connection of a busy pool, say) later scrapes skip it rather than queue another
 * (`letstalk_metrics_collection_failures_total{collector="outbox"}`). Returns what stops it.
 */
export function watchBacklog(pool: Pool, labels: { database: string }): () => void {
  const stop = onScrape(async () => {
    const [rows] = await pool.query<({ pending: number; oldest_us: number | null } & RowDataPacket)[]>(
      {
        sql: `SELECT
         (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT ?) AS waiting) AS pending,
         (SELECT TIMESTAMPDIFF(MICROSECOND, created_at, CURRENT_TIMESTAMP(3)) FROM outbox
           WHERE published_at IS NULL ORDER BY id LIMIT 1) AS oldest_us`,
        timeout: BACKLOG_QUERY_TIMEOUT_MS,
      },
      [OUTBOX_PENDING_COUNT_LIMIT],
    );
    outboxPending.set(labels, Number(rows[0]?.pending ?? 0));
    outboxOldestPendingAge.set(labels, Math.max(0, Number(rows[0]?.oldest_us ?? 0) / 1e6));
  }, 'outbox');
  return () => {
    stop();
    outboxPending.remove(labels);
    outboxOldestPendingAge.remove(labels);
  };
}

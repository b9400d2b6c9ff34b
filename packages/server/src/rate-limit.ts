import { RateLimiterMySQL, RateLimiterRes } from 'rate-limiter-flexible';
import { retryingRaces, type Pool, type ResultSetHeader } from '@letstalk/db';
import { rateLimited } from '@letstalk/errors';
import { rateLimitRefusals } from '@letstalk/metrics';

export type RateLimiter = RateLimiterMySQL;

/** A row of `rate_limits` as the library reads it: the points taken in the window and when it ends (ms). */
interface StoredCount {
  points: number;
  expire: number | null;
}

/*
 * How one statement reports the row it left (an UPDATE returns no rows, and MySQL 8 has no RETURNING): the
 * update clause hands `LAST_INSERT_ID(packed)` a 64-bit number, which the server puts in the OK packet's insert
 * id (MariaDB and MySQL 8 alike: their `sql_insert.cc` reports X for a table without AUTO_INCREMENT). A fresh
 * insert leaves it 0, and the row is then what was written. The bits, low to high:
 *   0       always 1, so an update never reads as an insert
 *   1–32    the points, plus 2^31 (the column is a signed 32-bit INT)
 *   33      the window never ends (`expire` is NULL: duration 0)
 *   34      bits 35–63 count whole seconds (rounded up), not milliseconds
 *   35–63   how long the window has left: ms under 2^29 (6.2 days), else seconds (up to 17 years)
 * Every term is computed from the row as it was, so it holds whichever order the server assigns in. The upsert
 * holds the row's lock for the statement, so concurrent consumes (from any instance) add one after another and
 * each reads its own result. (A later `SELECT LAST_INSERT_ID()` on that pooled connection would read the packed
 * number; nothing here asks for it, and every statement's own insert id is unaffected.)
 */
const POINTS_OFFSET = 2 ** 31;
const LEFT_LIMIT = 2 ** 29;
const NEW_POINTS = 'IF(expire <= :now, :points, points + :points)';
const LEFT_MS = 'IF(expire <= :now, :expire, expire) - :now';
const PACKED = `1
  | ((LEAST(GREATEST(${NEW_POINTS}, -${POINTS_OFFSET}), ${POINTS_OFFSET - 1}) + ${POINTS_OFFSET}) << 1)
  | ((${LEFT_MS} IS NULL) << 33)
  | ((COALESCE(${LEFT_MS}, 0) >= ${LEFT_LIMIT}) << 34)
  | (IF(COALESCE(${LEFT_MS}, 0) < ${LEFT_LIMIT}, COALESCE(${LEFT_MS}, 0),
        LEAST(CEIL((${LEFT_MS}) / 1000), ${LEFT_LIMIT - 1})) << 35)`;

function unpack(insertId: number | string, now: number): StoredCount {
  const packed = BigInt.asUintN(64, BigInt(insertId)); // mysql2 reads the id signed, past 2^53 as a string
  const left = Number(packed >> 35n) * ((packed >> 34n) & 1n ? 1000 : 1);
  return {
    points: Number((packed >> 1n) & 0xffffffffn) - POINTS_OFFSET,
    expire: (packed >> 33n) & 1n ? null : now + left,
  };
}

/**
 * rate-limiter-flexible's MySQL store, writing a count in one autocommitted statement where the library runs a
 * transaction of four (`BEGIN`, the upsert, a `SELECT` of the row, `COMMIT`). Same table, same columns, same
 * rules: a window that has ended starts again, `consume`/`penalty`/`reward` add in one atomic upsert, `block`
 * and `set` overwrite. Everything else (`get`, `delete`, blocking, `RateLimiterRes`) stays the library's; this
 * overrides its `_upsert`, which its store classes call for every write (checked below and by the tests).
 */
class OneStatementRateLimiter extends RateLimiterMySQL {
  private readonly add: string;
  private readonly overwrite: string;

  constructor(
    private readonly sqlPool: Pool,
    database: string,
    tableName: string,
    options: { keyPrefix: string; points: number; durationSeconds: number },
    ready: (error?: Error) => void,
  ) {
    super(
      {
        // mysql2's promise pool wraps a callback pool, which is what the library's own statements drive.
        storeClient: (sqlPool as unknown as { pool: unknown }).pool,
        storeType: 'pool',
        dbName: database,
        tableName,
        keyPrefix: options.keyPrefix,
        points: options.points,
        duration: options.durationSeconds,
      },
      ready,
    );
    const table = `${sqlPool.escapeId(database)}.${sqlPool.escapeId(tableName)}`;
    // The packed number is never 0 (bit 0), so `points` gets the count; the IF is there for the side effect.
    this.add = `INSERT INTO ${table} (\`key\`, points, expire) VALUES (:key, :points, :expire)
      ON DUPLICATE KEY UPDATE
        points = IF(LAST_INSERT_ID(${PACKED}) = 0, 0, ${NEW_POINTS}),
        expire = IF(expire <= :now, :expire, expire)`;
    this.overwrite = `INSERT INTO ${table} (\`key\`, points, expire) VALUES (:key, :points, :expire)
      ON DUPLICATE KEY UPDATE points = :points, expire = :expire`;
  }

  /** The library's store hook: resolves with the row as it is after the write, as its `SELECT` would read it. */
  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<StoredCount[]> {
    const now = Date.now();
    const expire = msDuration > 0 ? now + msDuration : null;
    const [result] = await this.sqlPool.query<ResultSetHeader>(
      { sql: forceExpire ? this.overwrite : this.add, namedPlaceholders: true },
      { key, points, expire, now },
    );
    return [result.insertId ? unpack(result.insertId, now) : { points, expire }];
  }
}

// The override is only worth having while the library writes through `_upsert`; fail at start, not silently.
if (typeof (RateLimiterMySQL.prototype as unknown as Record<string, unknown>)._upsert !== 'function') {
  throw new Error(
    'rate-limiter-flexible no longer has RateLimiterMySQL._upsert: see packages/server/src/rate-limit.ts',
  );
}

/**
 * A limiter shared by every instance of a subgraph: its counters live in the subgraph's own database
 * (table `rate_limits`, created by rate-limiter-flexible on first use). A consume is one statement.
 */
export function createRateLimiter(
  pool: Pool,
  database: string,
  options: { keyPrefix: string; points: number; durationSeconds: number },
): Promise<RateLimiter> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiter = new OneStatementRateLimiter(pool, database, 'rate_limits', options, (error) =>
      error ? reject(error) : resolve(limiter),
    );
  });
}

/**
 * Takes `points` (one by default) for `key`, or throws RATE_LIMITED with the time to wait (and counts the
 * refusal under the limiter's `keyPrefix`).
 */
export async function consumePoint(limiter: RateLimiter, key: string, points = 1): Promise<void> {
  try {
    // An upsert of a new key can deadlock with another one's in InnoDB (gap locks); it is simply run again.
    await retryingRaces(() => limiter.consume(key, points));
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      rateLimitRefusals.inc({ limit: limiter.keyPrefix });
      throw rateLimited(rejection.msBeforeNext / 1000);
    }
    throw rejection;
  }
}

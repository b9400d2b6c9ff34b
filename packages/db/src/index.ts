import mysql from 'mysql2/promise';
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { sql } from 'drizzle-orm';
import { customType, datetime } from 'drizzle-orm/mysql-core';

export type Pool = mysql.Pool;
export type { ResultSetHeader, RowDataPacket } from 'mysql2';
export type Database<Schema extends Record<string, unknown>> = MySql2Database<Schema>;
/** The handle a `db.transaction(async (tx) => …)` callback gets: repositories take it to join the caller's transaction. */
export type Transaction<Schema extends Record<string, unknown>> = Parameters<
  Parameters<Database<Schema>['transaction']>[0]
>[0];

/** How long a starting instance waits for another one that is migrating the same database. */
const MIGRATION_LOCK_TIMEOUT_SECONDS = 120;

/** `mysql://user@host:port` + a database name → a connection URL for that database. */
function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database if it does not exist yet (utf8mb4, so every emoji fits). */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`Invalid database name: ${database}`);
  const connection = await mysql.createConnection({ uri: serverUrl, connectTimeout: 5_000 });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

/**
 * A connection pool on one database. Dates are read and written as UTC, so `DATETIME` columns
 * hold UTC whatever the server's time zone is.
 */
export function createPool(serverUrl: string, database: string, connectionLimit = 10): Pool {
  return mysql.createPool({
    uri: databaseUrlFor(serverUrl, database),
    connectionLimit,
    timezone: 'Z',
    dateStrings: false,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    // mysql2 captures a stack trace on every query to decorate errors; on the hot paths that costs more
    // than the statement's own client-side work (measured with --cpu-prof in `npm run bench`).
    trace: false,
  });
}

/**
 * String columns compared byte for byte (`utf8mb4_bin`), for keys: identity subjects, token hashes,
 * client-chosen ids. The database's default collation (`utf8mb4_unicode_ci`, right for names people search)
 * would make "a", "A" and "á" one key. Valid on MariaDB 10.11 and MySQL 8.
 */
export const binaryVarchar = customType<{
  data: string;
  driverData: string;
  config: { length: number };
  configRequired: true;
}>({
  dataType: (config) => `varchar(${config.length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
});
/** A fixed-length {@link binaryVarchar} (hashes in hex). */
export const binaryChar = customType<{
  data: string;
  driverData: string;
  config: { length: number };
  configRequired: true;
}>({
  dataType: (config) => `char(${config.length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
});

/** A `DATETIME(3)` column read as a `Date`: milliseconds kept, UTC through the pool's time zone. */
export const dateTime3 = (name: string) => datetime(name, { mode: 'date', fsp: 3 });

/** A {@link dateTime3} column that is never null and defaults to the time of the insert. */
export const createdAtColumn = (name: string) =>
  dateTime3(name)
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`);

/** A drizzle instance over the pool, with the subgraph's table definitions. */
export function createDatabase<Schema extends Record<string, unknown>>(pool: Pool, schema: Schema): Database<Schema> {
  return drizzle(pool, { schema, mode: 'default' });
}

/**
 * Applies the committed drizzle migrations of `migrationsFolder`, holding a named server lock so that
 * instances starting together migrate one after another (DDL is not transactional in MySQL).
 */
export async function migrateDatabase(pool: Pool, migrationsFolder: string): Promise<void> {
  const connection = await pool.getConnection();
  const lockName = `letstalk-migrate:${connection.config.database ?? ''}`;
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS locked', [
      lockName,
      MIGRATION_LOCK_TIMEOUT_SECONDS,
    ]);
    if (rows[0]?.locked !== 1) throw new Error(`Timed out waiting for the migration lock ${lockName}`);
    await migrate(drizzle(pool), { migrationsFolder });
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
    connection.release();
  }
}

/** `true` when the database answers a trivial query. */
export async function isDatabaseReady(pool: Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** The MySQL error code of an error, whether mysql2 raised it directly or drizzle wrapped it. */
function mysqlErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = (current as Error & { cause?: unknown }).cause) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Whether a statement failed on a unique key another row holds. */
export const isDuplicateKey = (error: unknown) => mysqlErrorCode(error) === 'ER_DUP_ENTRY';

/** Transactions that lost a race (a deadlock, or a unique key another one just took) succeed when run again. */
const RETRYABLE_TRANSACTION_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_DUP_ENTRY']);
const TRANSACTION_ATTEMPTS = 5;
/** The longest pause before running a transaction again; each pause is random up to it, so racers fall apart. */
const RETRY_PAUSE_MAX_MS = 50;

/**
 * Runs `transaction`, again (up to {@link TRANSACTION_ATTEMPTS} times, after a random pause) when it lost a race:
 * several at once that keep deadlocking one another (six first sign-ins of one person) come apart.
 */
export async function retryingRaces<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      const code = mysqlErrorCode(error);
      if (attempt >= TRANSACTION_ATTEMPTS || !code || !RETRYABLE_TRANSACTION_ERRORS.has(code)) throw error;
      await new Promise((wait) => setTimeout(wait, Math.random() * RETRY_PAUSE_MAX_MS * attempt));
    }
  }
}
export { poolDatabase, watchPool } from './pool-metrics.ts';
export { createReadRouting, type ReadRouting } from './read-replica.ts';

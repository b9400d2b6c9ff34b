import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * How far behind the primary the replica may be and still take reads: past it (or with replication stopped), reads
 * go to the primary until it catches up.
 */
const READ_REPLICA_MAX_LAG_SECONDS = 5;
/** How often the replica's state is read. */
const CHECK_INTERVAL_MS = 1_000;

/**
 * Where reads that tolerate a few seconds' lag go (older history pages, directory search): `run(read)` runs `read`
 * on the replica while it is up and within READ_REPLICA_MAX_LAG_SECONDS of the primary, else on the primary; a
 * read that fails on the replica (it just died) is run again on the primary. Without a replica, everything runs
 * on the primary.
 */
export interface ReadRouting<Schema extends Record<string, unknown>> {
  run: <Result>(read: (db: MySql2Database<Schema>) => Promise<Result>) => Promise<Result>;
  /** Whether reads go to the replica now. */
  usingReplica: () => boolean;
  close: () => Promise<void>;
}

/** Where the routing says when reads change servers (a pino logger fits). */
interface Warnings {
  warn: (fields: Record<string, unknown>, message: string) => void;
}

type ReplicaStatus = RowDataPacket & {
  Slave_SQL_Running?: string;
  Slave_IO_Running?: string;
  Seconds_Behind_Master?: number | null;
};

/** Whether the replica replicates and is close enough behind (SHOW SLAVE STATUS, which needs SLAVE MONITOR). */
async function replicaHealthy(pool: Pool): Promise<boolean> {
  const [rows] = await pool.query<ReplicaStatus[]>('SHOW SLAVE STATUS');
  const status = rows[0];
  return (
    status?.Slave_SQL_Running === 'Yes' &&
    status.Slave_IO_Running === 'Yes' &&
    status.Seconds_Behind_Master !== null &&
    status.Seconds_Behind_Master !== undefined &&
    status.Seconds_Behind_Master <= READ_REPLICA_MAX_LAG_SECONDS
  );
}

/**
 * Read routing over `primary` and, when there is one (DATABASE_READ_URL), a replica of it: its pool and the
 * database over that pool, which the routing closes.
 */
export function createReadRouting<Schema extends Record<string, unknown>>(options: {
  primary: MySql2Database<Schema>;
  replica: { pool: Pool; db: MySql2Database<Schema> } | undefined;
  log: Warnings;
}): ReadRouting<Schema> {
  const { primary } = options;
  if (!options.replica) {
    return { run: (read) => read(primary), usingReplica: () => false, close: async () => undefined };
  }
  const { pool, db: replica } = options.replica;
  let healthy = false;
  const check = () =>
    replicaHealthy(pool).then(
      (now) => {
        if (now !== healthy)
          options.log.warn({ healthy: now }, now ? 'reads go to the replica' : 'reads go to the primary');
        healthy = now;
      },
      () => {
        if (healthy) options.log.warn({}, 'the replica does not answer; reads go to the primary');
        healthy = false;
      },
    );
  void check();
  const timer = setInterval(() => void check(), CHECK_INTERVAL_MS);
  timer.unref();
  return {
    async run(read) {
      if (!healthy) return read(primary);
      try {
        return await read(replica);
      } catch (error) {
        healthy = false;
        options.log.warn({ err: error }, 'a read failed on the replica; it runs on the primary');
        return read(primary);
      }
    },
    usingReplica: () => healthy,
    close: async () => {
      clearInterval(timer);
      await pool.end();
    },
  };
}

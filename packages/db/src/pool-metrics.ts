import { dbPoolConnections, dbPoolMax, dbPoolWaiting, onScrape } from '@letstalk/metrics';
import type { Pool } from 'mysql2/promise';

/**
 * What mysql2 keeps inside its callback pool (`pool.pool` of the promise pool), checked with mysql2 3.24:
 * every open connection, the free ones, and the callbacks waiting for one. mysql2 exposes no counts of its
 * own, so these private fields are read (a missing one reads as 0, and the gauges then say nothing wrong).
 */
interface PoolInternals {
  config?: { connectionLimit?: number; connectionConfig?: { database?: string } };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

const internalsOf = (pool: Pool) => (pool as unknown as { pool?: PoolInternals }).pool ?? {};

/** The database a pool's connections use. */
export const poolDatabase = (pool: Pool): string => internalsOf(pool).config?.connectionConfig?.database ?? '';

/**
 * Reports the pool's connections in use and idle, the queries waiting for one and its limit at each scrape
 * (`letstalk_db_pool_*`, labelled with the database). Returns what stops it.
 */
export function watchPool(pool: Pool): () => void {
  const database = poolDatabase(pool);
  const stop = onScrape(() => {
    const internals = internalsOf(pool);
    const all = internals._allConnections?.length ?? 0;
    const free = internals._freeConnections?.length ?? 0;
    dbPoolConnections.set({ database, state: 'in_use' }, all - free);
    dbPoolConnections.set({ database, state: 'idle' }, free);
    dbPoolWaiting.set({ database }, internals._connectionQueue?.length ?? 0);
    dbPoolMax.set({ database }, internals.config?.connectionLimit ?? 0);
  }, 'db_pool');
  return () => {
    stop();
    for (const state of ['in_use', 'idle']) dbPoolConnections.remove({ database, state });
    dbPoolWaiting.remove({ database });
    dbPoolMax.remove({ database });
  };
}

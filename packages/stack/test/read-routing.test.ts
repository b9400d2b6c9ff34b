import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool, createReadRouting, type ReadRouting } from '@letstalk/db';
import { startReplicatedMariadb, type ReplicatedMariadb } from '../src/scaled/mariadb-replica.ts';

const DATABASE = 'letstalk_read_routing_test';
const quiet = { warn: () => undefined };

async function run(url: string, statement: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

describe('reads routed to a replica (DATABASE_READ_URL)', () => {
  let dataDir: string;
  let servers: ReplicatedMariadb;
  let routing: ReadRouting<Record<string, never>>;
  let primaryPool: ReturnType<typeof createPool>;
  /** Which server answered: each has a row of its own in `whoami`, written with replication off. */
  const whoAnswers = () =>
    routing.run(async (db) => {
      const [rows] = (await db.execute(sql`SELECT name FROM whoami`)) as unknown as [{ name: string }[]];
      return rows[0]?.name;
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'letstalk-read-routing-'));
    servers = await startReplicatedMariadb(dataDir);
    await run(servers.primary.url, `CREATE DATABASE ${DATABASE}`);
    await run(servers.primary.url, `CREATE TABLE ${DATABASE}.whoami (name VARCHAR(20))`);
    await waitUntil(
      () =>
        run(servers.replica.url, `SELECT 1 FROM ${DATABASE}.whoami`).then(
          () => true,
          () => false,
        ),
      'the table on the replica',
    );
    for (const [url, name] of [
      [servers.primary.url, 'primary'],
      [servers.replica.url, 'replica'],
    ] as const) {
      const connection = await mysql.createConnection({ uri: url });
      await connection.query('SET SESSION sql_log_bin = 0');
      await connection.query(`INSERT INTO ${DATABASE}.whoami VALUES ('${name}')`);
      await connection.end();
    }
    primaryPool = createPool(servers.primary.url, DATABASE);
    const replicaPool = createPool(servers.replica.url, DATABASE);
    routing = createReadRouting({
      primary: createDatabase(primaryPool, {}),
      replica: { pool: replicaPool, db: createDatabase(replicaPool, {}) },
      log: quiet,
    });
  }, 120_000);
  afterAll(async () => {
    await routing?.close();
    await primaryPool?.end();
    await servers?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads from the replica while it replicates, from the primary when it stops or dies', async () => {
    await waitUntil(async () => routing.usingReplica(), 'the replica to be taken');
    expect(await whoAnswers()).toBe('replica');

    // Replication stopped: the replica's data grows old, so reads leave it.
    await run(servers.replica.url, 'STOP SLAVE');
    await waitUntil(async () => !routing.usingReplica(), 'reads to leave a replica that stopped');
    expect(await whoAnswers()).toBe('primary');
    await run(servers.replica.url, 'START SLAVE');
    await waitUntil(async () => routing.usingReplica(), 'the replica to be taken again');

    // Killed: the read in flight is answered by the primary, and so is every one after.
    await servers.replica.kill();
    expect(await whoAnswers()).toBe('primary');
    expect(routing.usingReplica()).toBe(false);
    await servers.replica.restart();
    await waitUntil(async () => routing.usingReplica(), 'the replica to be taken once it is back');
    expect(await whoAnswers()).toBe('replica');
  }, 120_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplicatedMariadb, type ReplicatedMariadb } from '../src/scaled/mariadb-replica.ts';

/** Polls `check` until it holds (@letstalk/testing depends on this package, so its helper is not used here). */
async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

async function query<Row>(url: string, sql: string): Promise<Row[]> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await connection.query(sql);
    return rows as Row[];
  } finally {
    await connection.end();
  }
}

const count = async (url: string) =>
  (await query<{ n: number }>(url, 'SELECT COUNT(*) AS n FROM letstalk_replica_test.notes'))[0]!.n;

describe('MariaDB with a replica', () => {
  let dataDir: string;
  let servers: ReplicatedMariadb;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'letstalk-mariadb-replica-'));
    servers = await startReplicatedMariadb(dataDir);
  }, 120_000);
  afterAll(async () => {
    await servers?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('copies what the primary writes; the replica takes no writes, and catches up after a kill', async () => {
    const { primary, replica } = servers;
    await query(primary.url, 'CREATE DATABASE letstalk_replica_test');
    await query(primary.url, 'CREATE TABLE letstalk_replica_test.notes (id INT PRIMARY KEY)');
    await query(primary.url, 'INSERT INTO letstalk_replica_test.notes VALUES (1), (2)');
    await waitUntil(async () => (await count(replica.url).catch(() => 0)) === 2, 'the replica to copy two rows');
    expect(await query(replica.url, 'SELECT @@read_only AS readOnly')).toEqual([{ readOnly: 1 }]);

    await replica.kill();
    await query(primary.url, 'INSERT INTO letstalk_replica_test.notes VALUES (3)');
    await replica.restart();
    await waitUntil(async () => (await count(replica.url).catch(() => 0)) === 3, 'the replica to catch up');
  }, 120_000);
});

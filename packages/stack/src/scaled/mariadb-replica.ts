import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, startMariadb } from '../services.ts';

/** One `mariadbd` of a {@link ReplicatedMariadb}. */
interface MariadbNode {
  /** What DATABASE_URL (or DATABASE_READ_URL) takes. */
  url: string;
  process: () => ChildProcess;
  /** SIGKILL, as a machine that died. */
  kill: () => Promise<void>;
  /** Starts it again with its data (a replica resumes replicating where it stopped). */
  restart: () => Promise<void>;
}

export interface ReplicatedMariadb {
  primary: MariadbNode;
  replica: MariadbNode;
  stop: () => Promise<void>;
}

/** The account the replica replicates with (loopback only). */
const REPLICATION_USER = { name: 'replication', password: 'replication-on-loopback' };

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function run(url: string, statements: string[]): Promise<void> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    for (const statement of statements) await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/**
 * Two MariaDB servers on loopback, the second an asynchronous replica of the first (binary log in row format,
 * global transaction ids): what an installation past one database server runs, with the replica taking reads
 * that tolerate lag. The replica is `read_only`; both keep their data under `dataDir/primary` and
 * `dataDir/replica`. Resolves once the replica replicates.
 */
export async function startReplicatedMariadb(
  dataDir: string,
  log: (line: string) => void = () => undefined,
): Promise<ReplicatedMariadb> {
  const node = (name: string, port: number, args: string[]) => {
    let child: ChildProcess | undefined;
    const start = async () => {
      child = await startMariadb({ port, dataDir: join(dataDir, name), log, args });
    };
    return {
      start,
      url: `mysql://root@127.0.0.1:${port}`,
      process: () => child!,
      kill: async () => {
        child?.kill('SIGKILL');
        if (child) await exitOf(child);
      },
      restart: start,
    };
  };
  const primary = node('primary', await freePort(), ['--server-id=1', '--log-bin=mariadb-bin', '--binlog-format=ROW']);
  const replica = node('replica', await freePort(), [
    '--server-id=2',
    '--read-only=ON',
    // Started again after a kill, it goes on replicating by itself (the replication threads start with it).
    '--relay-log=mariadb-relay',
  ]);
  await Promise.all([primary.start(), replica.start()]);
  const { name, password } = REPLICATION_USER;
  await run(primary.url, [
    `CREATE USER IF NOT EXISTS '${name}'@'127.0.0.1' IDENTIFIED BY '${password}'`,
    `GRANT REPLICATION SLAVE ON *.* TO '${name}'@'127.0.0.1'`,
  ]);
  const primaryPort = new URL(primary.url).port;
  await run(replica.url, [
    'STOP SLAVE',
    `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primaryPort}, MASTER_USER='${name}', MASTER_PASSWORD='${password}', MASTER_USE_GTID=slave_pos`,
    'START SLAVE',
  ]);
  return {
    primary,
    replica,
    stop: async () => {
      for (const child of [replica.process(), primary.process()]) {
        child.kill('SIGTERM');
        await exitOf(child);
      }
    },
  };
}

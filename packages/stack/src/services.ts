import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect as connectTcp, createServer as createTcpServer } from 'node:net';
import { join, resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { databaseUrl, loadConfig, natsUrl } from '@letstalk/config';
import { executableSearchPath } from './env.ts';

/** How long a started MariaDB or NATS gets to accept connections. */
const SERVICE_START_TIMEOUT_MS = 60_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Finds an executable on PATH or in the sbin folders where Debian puts servers. */
export function findExecutable(name: string): string | undefined {
  const folders = [...executableSearchPath(), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin'];
  return folders.map((folder) => join(folder, name)).find((path) => existsSync(path));
}

/**
 * The MariaDB/MySQL server and NATS that `npm start` and the tests use when they are already running:
 * `DATABASE_URL` and `NATS_URL`, by default on this machine's loopback.
 */
export function localServices(): { databaseUrl: string; natsUrl: string } {
  const env = loadConfig('local services', { DATABASE_URL: databaseUrl, NATS_URL: natsUrl });
  return { databaseUrl: env.DATABASE_URL, natsUrl: env.NATS_URL };
}

export async function canConnectToDatabase(url: string): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 2_000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

export function canConnectTcp(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connectTcp({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

/** Characters of a server's log kept to explain why it did not start. */
const LOG_TAIL_CHARS = 4_000;

/**
 * Reads what the server writes to stderr, keeping the end of it: a pipe nobody reads fills up (64 KB) and the
 * server then blocks on its next log line (MariaDB logs every aborted connection).
 */
function logTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-LOG_TAIL_CHARS)));
  return () => tail;
}

/** Resolves once `check` holds, or fails with the end of the server's log when it exits or takes too long. */
export async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess): Promise<void> {
  const log = logTail(child);
  const deadline = Date.now() + SERVICE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}:\n${log()}`);
    if (await check()) return;
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`${what} did not accept connections within ${SERVICE_START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

const HOW_TO_INSTALL =
  'Install them (Debian/Ubuntu: apt-get install mariadb-server nats-server; macOS: brew install mariadb nats-server) ' +
  'and `npm start` runs them itself with data under .data/, or start your own and set DATABASE_URL / NATS_URL, ' +
  'or run `docker compose -f docker-compose.dev.yml up -d`.';

export interface EmbeddedService {
  name: string;
  process: ChildProcess;
}

/**
 * Makes sure MariaDB/MySQL answers at `url`. When it does not, the URL is local and `mariadbd` is
 * installed, starts one with its data under `dataDir/mysql` (initialized on first use).
 */
export async function ensureDatabaseServer(url: string, dataDir: string, log: (line: string) => void) {
  if (await canConnectToDatabase(url)) return undefined;
  const target = new URL(url);
  if (!LOOPBACK.has(target.hostname) || !findExecutable('mariadbd') || !findExecutable('mariadb-install-db')) {
    throw new Error(`MariaDB/MySQL is not reachable at ${target.host}. ${HOW_TO_INSTALL}`);
  }
  const port = Number(target.port || 3306);
  return { name: 'mariadb', process: await startMariadb({ port, dataDir, log }) };
}

/**
 * Starts `mariadbd` on 127.0.0.1:`port` with its data under `dataDir/mysql` (initialized on first use: root
 * without a password), with `args` added (replication settings); resolves once it accepts connections.
 */
export async function startMariadb(options: {
  port: number;
  dataDir: string;
  log: (line: string) => void;
  args?: string[];
}): Promise<ChildProcess> {
  const mariadbd = findExecutable('mariadbd');
  const installDb = findExecutable('mariadb-install-db');
  if (!mariadbd || !installDb) throw new Error(`mariadbd is not installed. ${HOW_TO_INSTALL}`);
  const { dataDir, log } = options;
  const datadir = resolve(dataDir, 'mysql');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  if (!existsSync(join(datadir, 'mysql'))) {
    log(`initializing a MariaDB data directory in ${datadir}`);
    mkdirSync(datadir, { recursive: true });
    const init = spawnSync(
      installDb,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...asRoot,
      ],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`mariadb-install-db failed:\n${init.stdout}\n${init.stderr}`);
  }
  log(`starting MariaDB on 127.0.0.1:${options.port} with data in ${datadir}`);
  const child = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${resolve(dataDir, 'mysql.sock')}`,
      `--port=${options.port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${resolve(dataDir, 'mysql.pid')}`,
      ...asRoot,
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitFor(() => canConnectToDatabase(`mysql://root@127.0.0.1:${options.port}`), 'MariaDB', child);
  return child;
}

/** The same for NATS with JetStream, data under `dataDir/nats`. */
export async function ensureNatsServer(url: string, dataDir: string, log: (line: string) => void) {
  const target = new URL(url.split(',')[0] ?? url);
  const port = Number(target.port || 4222);
  if (await canConnectTcp(target.hostname, port)) return undefined;
  const natsServer = findExecutable('nats-server');
  if (!LOOPBACK.has(target.hostname) || !natsServer) {
    throw new Error(`NATS is not reachable at ${target.host}. ${HOW_TO_INSTALL}`);
  }
  const storeDir = resolve(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  log(`starting NATS with JetStream on ${target.host} with data in ${storeDir}`);
  const child = spawn(natsServer, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitFor(() => canConnectTcp('127.0.0.1', port), 'nats-server', child);
  return { name: 'nats', process: child };
}

/**
 * Ports freePort picks from: below Linux's ephemeral range (32768-60999 by default), which the system also gives
 * to outgoing connections. A port picked there could be taken by some connection's own end before the server it
 * was picked for listened on it (seen: a compose smoke test's subgraph failed with EADDRINUSE in a full run).
 */
const FREE_PORT_RANGE = { from: 20_000, to: 32_000 };
/** Ports freePort tries before it gives up. */
const FREE_PORT_TRIES = 50;

/** Whether 127.0.0.1:`port` can be listened on right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createTcpServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port that is free on 127.0.0.1 right now (for starting a stack or a server beside another). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < FREE_PORT_TRIES; tries += 1) {
    const port = FREE_PORT_RANGE.from + Math.floor(Math.random() * (FREE_PORT_RANGE.to - FREE_PORT_RANGE.from));
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port on 127.0.0.1 between ${FREE_PORT_RANGE.from} and ${FREE_PORT_RANGE.to}.`);
}

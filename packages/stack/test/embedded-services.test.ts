import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canConnectTcp,
  canConnectToDatabase,
  ensureDatabaseServer,
  ensureNatsServer,
  freePort,
  localServices,
} from '../src/services.ts';

const started: ChildProcess[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const child of started) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('npm start without running services', () => {
  it('starts its own MariaDB and NATS with their data under DATA_DIR', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-embedded-'));
    folders.push(dataDir);
    const databaseUrl = `mysql://root@127.0.0.1:${await freePort()}`;
    const natsPort = await freePort();
    const lines: string[] = [];

    const mariadb = await ensureDatabaseServer(databaseUrl, dataDir, (line) => lines.push(line));
    if (mariadb) started.push(mariadb.process);
    const nats = await ensureNatsServer(`nats://127.0.0.1:${natsPort}`, dataDir, (line) => lines.push(line));
    if (nats) started.push(nats.process);

    expect(mariadb?.name).toBe('mariadb');
    expect(nats?.name).toBe('nats');
    expect(await canConnectToDatabase(databaseUrl)).toBe(true);
    expect(await canConnectTcp('127.0.0.1', natsPort)).toBe(true);
    expect(lines.join('\n')).toContain(join(dataDir, 'mysql'));
  }, 90_000);

  it('uses a server that already answers instead of starting one', async () => {
    expect(await ensureDatabaseServer(localServices().databaseUrl, '/nonexistent', () => {})).toBeUndefined();
  });

  it('says what to install or start when it cannot start one itself', async () => {
    // 127.0.0.2 is loopback (nothing leaves the machine) but not a local default npm start manages.
    const url = `mysql://root@127.0.0.2:${await freePort()}`;
    await expect(ensureDatabaseServer(url, '/nonexistent', () => {})).rejects.toThrow(
      /apt-get install mariadb-server.*docker compose -f docker-compose.dev.yml up/s,
    );
    await expect(ensureNatsServer(`nats://127.0.0.2:${await freePort()}`, '/nonexistent', () => {})).rejects.toThrow(
      /NATS is not reachable/,
    );
  });
});

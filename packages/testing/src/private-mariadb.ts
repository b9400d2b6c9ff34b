import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabaseServer, freePort } from '@letstalk/stack';
import { requireExecutables, restartableServer, type RestartableServer } from './restartable-server.ts';

/**
 * A MariaDB server of a suite's own, on a free loopback port, with its data in a new temporary folder
 * (`mariadb-install-db`, root with an empty password over TCP, as `npm start` runs one), for suites that kill
 * it: the shared server of the other tests is never touched. `url` is `mysql://root@127.0.0.1:<port>`.
 */
export async function startPrivateMariadb(): Promise<RestartableServer> {
  requireExecutables(
    ['mariadbd', 'mariadb-install-db'],
    'a private MariaDB needs the server installed (Debian/Ubuntu: apt-get install mariadb-server).',
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-mariadb-'));
  const url = `mysql://root@127.0.0.1:${await freePort()}`;
  return restartableServer(url, dataDir, () => ensureDatabaseServer(url, dataDir, () => undefined));
}

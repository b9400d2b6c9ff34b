import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startFakeDns,
  startFakeOidcIssuer,
  startFakeWeb,
  startPrivateMariadb,
  startRestartableNats,
  type FakeWeb,
  type RestartableServer,
} from '@letstalk/testing';

/** The OIDC audience of the fault suite's fake issuer. */
export const OIDC_AUDIENCE = 'letstalk-chaos';

/** A NATS and a MariaDB of the suite's own, which can be killed and restarted with their data. */
interface SuiteServers {
  nats: RestartableServer;
  mariadb: RestartableServer;
}

/**
 * What the stack under test runs on, all of the suite's own so that killing it disturbs no other test: a NATS
 * and a MariaDB (`servers`; absent when the stack brings its own, as the scale-out stack does), a fake OIDC
 * issuer to sign senders in, a fake web site on 127.0.0.1 for link previews, and a name server that knows no
 * name. `runDir` holds the processes' logs (kept after the run) and their data.
 */
export interface Infrastructure {
  runDir: string;
  logDir: string;
  servers?: SuiteServers;
  oidcIssuer: string;
  web: FakeWeb;
  dnsServer: string;
  close: () => Promise<void>;
}

/** Starts the infrastructure; with `servers: false`, no NATS or MariaDB (the stack brings its own). */
export async function startInfrastructure(options: { servers: boolean }): Promise<Infrastructure> {
  const runDir = await mkdtemp(join(tmpdir(), 'letstalk-chaos-'));
  const logDir = join(runDir, 'logs');
  await mkdir(logDir);
  const servers = options.servers
    ? await Promise.all([startRestartableNats(), startPrivateMariadb()]).then(([nats, mariadb]) => ({ nats, mariadb }))
    : undefined;
  const oidc = await startFakeOidcIssuer({ audience: OIDC_AUDIENCE });
  const web = await startFakeWeb('127.0.0.1');
  const dns = await startFakeDns({});
  return {
    runDir,
    logDir,
    ...(servers ? { servers } : {}),
    oidcIssuer: oidc.issuer,
    web,
    dnsServer: dns.server,
    close: async () => {
      await Promise.all([servers?.nats.stop(), servers?.mariadb.stop(), oidc.close(), web.close(), dns.close()]);
    },
  };
}

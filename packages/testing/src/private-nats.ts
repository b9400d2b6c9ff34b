import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNatsServer, freePort } from '@letstalk/stack';
import { requireExecutables, restartableServer, type RestartableServer } from './restartable-server.ts';

/**
 * A NATS server with JetStream of a suite's own, on a free loopback port (the installed `nats-server`, as
 * `npm start` runs it). For suites whose workers act on every event they see (they fetch links): events are
 * not namespaced per installation, so two installations must not share a NATS server, and neither may two
 * suites that would answer each other's events.
 */
export async function startPrivateNats(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-nats-'));
  const url = `nats://127.0.0.1:${await freePort()}`;
  const server = await ensureNatsServer(url, dataDir, () => undefined);
  return {
    url,
    stop: async () => {
      if (server && server.process.exitCode === null) {
        const exited = new Promise((resolve) => server.process.once('exit', resolve));
        server.process.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A private NATS server (see {@link startPrivateNats}) that can be replaced by one with none of its state, on
 * the same address: what a NATS server restarted without its volume looks like to the processes using it.
 */
export async function startReplaceableNats(): Promise<{
  url: string;
  replaceWithoutState: () => Promise<void>;
  stop: () => Promise<void>;
}> {
  const url = `nats://127.0.0.1:${await freePort()}`;
  const start = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-nats-'));
    const server = await ensureNatsServer(url, dataDir, () => undefined);
    if (!server) throw new Error(`Something else answers on ${url}.`);
    return {
      stop: async () => {
        if (server.process.exitCode === null) {
          const exited = new Promise((resolve) => server.process.once('exit', resolve));
          server.process.kill('SIGTERM');
          await exited;
        }
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  };
  let current = await start();
  return {
    url,
    replaceWithoutState: async () => {
      await current.stop();
      current = await start();
    },
    stop: () => current.stop(),
  };
}

/**
 * A private NATS server (see {@link startPrivateNats}) that a suite may kill and start again with its data
 * (its JetStream store), on the same address.
 */
export async function startRestartableNats(): Promise<RestartableServer> {
  requireExecutables(
    ['nats-server'],
    'a private NATS needs it installed (Debian/Ubuntu: apt-get install nats-server).',
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-nats-'));
  const url = `nats://127.0.0.1:${await freePort()}`;
  return restartableServer(url, dataDir, () => ensureNatsServer(url, dataDir, () => undefined));
}

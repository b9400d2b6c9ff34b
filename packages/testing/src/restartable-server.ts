import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { findExecutable } from '@letstalk/stack';

/**
 * A server of a suite's own (NATS, MariaDB) that the suite may kill and start again with its data, on the same
 * address, as a crashed server that its supervisor restarts.
 */
export interface RestartableServer {
  url: string;
  /** The server's process id while it runs (its memory is read from `/proc`). */
  pid: () => number | undefined;
  /** `kill -9`; resolves once it has exited. */
  kill: () => Promise<void>;
  /** Starts it again on the same port with the data it had; resolves once it accepts connections. */
  restart: () => Promise<void>;
  /** SIGTERM, then its data is deleted. */
  stop: () => Promise<void>;
}

/** Fails with what to install when one of the server's executables is missing. */
export function requireExecutables(names: string[], install: string): void {
  const missing = names.filter((name) => !findExecutable(name));
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} not found on PATH or in /usr/sbin: ${install}`);
  }
}

async function exitOf(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** A {@link RestartableServer} over `start`, which starts the server on `url` with its data in `dataDir`. */
export async function restartableServer(
  url: string,
  dataDir: string,
  start: () => Promise<{ process: ChildProcess } | undefined>,
): Promise<RestartableServer> {
  const launch = async () => {
    const server = await start();
    if (!server) throw new Error(`Something else answers on ${url}.`);
    return server.process;
  };
  let child = await launch();
  return {
    url,
    pid: () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    kill: () => exitOf(child, 'SIGKILL'),
    restart: async () => {
      await exitOf(child, 'SIGKILL');
      child = await launch();
    },
    stop: async () => {
      await exitOf(child, 'SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

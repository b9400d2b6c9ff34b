import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { canConnectTcp, canConnectToDatabase, spawnService } from '@letstalk/stack';
import type { RestartableServer } from '@letstalk/testing';

/**
 * A process the suite can kill, stall and start again: a service of the stack, a NATS server or a MariaDB
 * server. Its name is the process's (`message`, `gateway-a`; on the scale-out stack `message-1`, `nats-2`).
 */
export interface Target {
  name: string;
  /** Its process id while it runs. */
  pid: () => number | undefined;
  /** `kill -9`; resolves once it has exited. */
  kill: () => Promise<void>;
  /** Starts it again (same port, same data) and resolves once it is ready. */
  start: () => Promise<void>;
  /** SIGSTOP or SIGCONT. */
  signal: (signal: 'SIGSTOP' | 'SIGCONT') => void;
  /** `/readyz` answers 200 (a service), or it accepts connections (NATS, MariaDB). */
  isReady: () => Promise<boolean>;
  /** Exits the suite did not cause (a crash), as `<code or signal> at <time>`, since the last call. */
  takeCrashes: () => string[];
}

/** A service the suite started itself, which it also stops. */
type ServiceTarget = Target & { stop: () => Promise<void> };

/** Whether a child process still runs. */
export const running = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

async function exitOf(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** `<origin>/readyz` answers 200. */
export const readyAt = (origin: string) =>
  fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.status === 200,
    () => false,
  );

/**
 * The exits of a service's processes, written to its log: those the suite did not announce with `ending`
 * (kill, stop) are crashes.
 */
export function crashWatch(log: (text: string) => void) {
  const crashes: string[] = [];
  const ending = new WeakSet<ChildProcess>();
  return {
    watch: (child: ChildProcess) =>
      child.once('exit', (code, signal) => {
        const exit = `${signal ?? code} at ${new Date().toISOString()}`;
        log(`--- exited (${exit})\n`);
        if (!ending.has(child)) crashes.push(exit);
      }),
    ending: (child: ChildProcess | undefined) => {
      if (child) ending.add(child);
    },
    take: () => crashes.splice(0),
  };
}

/**
 * A service of the stack (`node --import tsx <entry>`), started by the suite itself rather than `npm start`,
 * whose supervisor would restart a killed process within a second: a fault is held as long as the suite says.
 * Its output goes to `<logDir>/<name>.log`, each start after the last.
 */
export async function startService(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  origin: string;
  logDir: string;
}): Promise<ServiceTarget> {
  const log = createWriteStream(join(options.logDir, `${options.name}.log`), { flags: 'a' });
  const write = (text: string) => void log.write(text);
  const crashes = crashWatch(write);
  let child: ChildProcess | undefined;
  const end = (signal: NodeJS.Signals) => {
    crashes.ending(child);
    return exitOf(child, signal);
  };
  const start = async () => {
    write(`--- started at ${new Date().toISOString()}\n`);
    const service = await spawnService(options.entry, options.env, { origin: options.origin, onOutput: write });
    child = service.child;
    crashes.watch(child);
  };
  await start();
  return {
    name: options.name,
    pid: () => (running(child) ? child.pid : undefined),
    kill: () => end('SIGKILL'),
    start,
    signal: (signal) => child?.kill(signal),
    isReady: () => readyAt(options.origin),
    takeCrashes: crashes.take,
    stop: async () => {
      // A stalled process cannot handle SIGTERM.
      child?.kill('SIGCONT');
      await end('SIGTERM');
      log.end();
    },
  };
}

/** Ready: a MariaDB server takes a connection, a NATS server accepts one. */
export function serverReady(kind: 'nats' | 'mariadb', url: string): () => Promise<boolean> {
  if (kind === 'mariadb') return () => canConnectToDatabase(url);
  const address = new URL(url);
  return () => canConnectTcp(address.hostname, Number(address.port));
}

/** NATS or MariaDB of the suite's own as a {@link Target}. */
export function serverTarget(name: 'nats' | 'mariadb', server: RestartableServer): Target {
  return {
    name,
    pid: server.pid,
    kill: server.kill,
    start: server.restart,
    signal: (signal) => {
      const pid = server.pid();
      if (pid !== undefined) process.kill(pid, signal);
    },
    isReady: serverReady(name, server.url),
    takeCrashes: () => [],
  };
}

import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { canConnectTcp, canConnectToDatabase, spawnService } from '@letstalk/stack';
import type { RestartableServer } from '@letstalk/testing';
import type { TargetName } from './options.ts';

/** A process the suite can kill, stall and start again: a service of the stack, NATS or MariaDB. */
export interface Target {
  name: TargetName;
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
  stop: () => Promise<void>;
}

const running = (child: ChildProcess | undefined) => child && child.exitCode === null && child.signalCode === null;

async function exitOf(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || !running(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * A service of the stack (`node --import tsx <entry>`), started by the suite itself rather than `npm start`,
 * whose supervisor would restart a killed process within a second: a fault is held as long as the suite says.
 * Its output goes to `<logDir>/<name>.log`, each start after the last.
 */
export async function startService(options: {
  name: TargetName;
  entry: string;
  env: Record<string, string>;
  origin: string;
  logDir: string;
}): Promise<Target> {
  const log = createWriteStream(join(options.logDir, `${options.name}.log`), { flags: 'a' });
  let child: ChildProcess | undefined;
  const crashes: string[] = [];
  // Processes the suite itself kills or stops: their exit is no crash.
  const ending = new WeakSet<ChildProcess>();
  const end = (signal: NodeJS.Signals) => {
    if (child) ending.add(child);
    return exitOf(child, signal);
  };
  const start = async () => {
    log.write(`--- started at ${new Date().toISOString()}\n`);
    const service = await spawnService(options.entry, options.env, {
      origin: options.origin,
      onOutput: (text) => log.write(text),
    });
    const started = service.child;
    child = started;
    started.once('exit', (code, signal) => {
      const exit = `${signal ?? code} at ${new Date().toISOString()}`;
      log.write(`--- exited (${exit})\n`);
      if (!ending.has(started)) crashes.push(exit);
    });
  };
  await start();
  return {
    name: options.name,
    pid: () => (running(child) ? child?.pid : undefined),
    kill: () => end('SIGKILL'),
    start,
    signal: (signal) => child?.kill(signal),
    isReady: () =>
      fetch(`${options.origin}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.status === 200,
        () => false,
      ),
    takeCrashes: () => crashes.splice(0),
    stop: async () => {
      // A stalled process cannot handle SIGTERM.
      child?.kill('SIGCONT');
      await end('SIGTERM');
      log.end();
    },
  };
}

/** NATS or MariaDB of the suite's own as a {@link Target}. */
export function serverTarget(name: 'nats' | 'mariadb', server: RestartableServer): Target {
  const address = new URL(server.url);
  return {
    name,
    pid: server.pid,
    kill: server.kill,
    start: server.restart,
    signal: (signal) => {
      const pid = server.pid();
      if (pid !== undefined) process.kill(pid, signal);
    },
    isReady: () =>
      name === 'mariadb' ? canConnectToDatabase(server.url) : canConnectTcp(address.hostname, Number(address.port)),
    takeCrashes: () => [],
    stop: server.stop,
  };
}

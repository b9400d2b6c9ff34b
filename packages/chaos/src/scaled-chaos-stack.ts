import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runScaledStack, type ScaledStack } from '@letstalk/stack/src/scaled/run-scaled.ts';
import { productionEnv, type ChaosStack } from './chaos-stack.ts';
import type { Infrastructure } from './infrastructure.ts';
import type { TargetName } from './options.ts';
import { crashWatch, readyAt, running, serverReady, type Target } from './targets.ts';

/** The databases the scale-out stack's processes use: packages/config's defaults (`letstalk_<subgraph>`). */
const SCALED_DATABASES = {
  user: 'letstalk_user',
  message: 'letstalk_message',
  media: 'letstalk_media',
  preview: 'letstalk_preview',
} as const;

/**
 * The instance a fault on a one-of-each name strikes: the first of its pair (the second carries on), `gateway-b`
 * the second gateway, `mariadb` the primary. `nats` is chosen at the strike (see {@link busiestNatsNode}).
 */
const ALIASES: Record<Exclude<TargetName, 'nats'>, string> = {
  'gateway-a': 'gateway-1',
  'gateway-b': 'gateway-2',
  user: 'user-1',
  message: 'message-1',
  media: 'media-1',
  preview: 'preview-1',
  'media-worker': 'media-worker-1',
  'preview-worker': 'preview-worker-1',
  mariadb: 'mariadb',
  replica: 'replica',
};

type ScaledProcess = ScaledStack['processes'][number];
type NatsNode = ScaledStack['nats']['nodes'][number];

/** A process of the scale-out stack as a {@link Target}: its exits are written to its log, crashes noted. */
function processTarget(process: ScaledProcess, log: (text: string) => void): Target {
  const crashes = crashWatch(log);
  crashes.watch(process.child());
  return {
    name: process.name,
    pid: () => (running(process.child()) ? process.child().pid : undefined),
    kill: async () => {
      const child = process.child();
      crashes.ending(child);
      if (running(child)) await process.kill();
    },
    start: async () => {
      log(`--- started again at ${new Date().toISOString()}\n`);
      await process.restart();
      crashes.watch(process.child());
    },
    signal: (signal) => process.child().kill(signal),
    isReady: () => readyAt(process.origin),
    takeCrashes: crashes.take,
  };
}

/** A NATS node or a MariaDB server of the scale-out stack as a {@link Target} (crashes are not watched). */
function serverNodeTarget(
  name: string,
  node: { process: () => ChildProcess; kill: () => Promise<void>; restart: () => Promise<void> },
  isReady: () => Promise<boolean>,
): Target {
  return {
    name,
    pid: () => (running(node.process()) ? node.process().pid : undefined),
    kill: node.kill,
    start: node.restart,
    signal: (signal) => node.process().kill(signal),
    isReady,
    takeCrashes: () => [],
  };
}

/**
 * The NATS node holding the most client connections (the one whose loss moves most processes), and how many of
 * whose: `nats-2: 9 of 21 connections (gateway ×2, message, ...)`.
 */
async function busiestNatsNode(nodes: NatsNode[]): Promise<{ node: NatsNode; why: string }> {
  const held = await Promise.all(nodes.map((node) => node.connectionNames().catch((): string[] => [])));
  const total = held.reduce((sum, names) => sum + names.length, 0);
  let busiest = 0;
  for (const [index, names] of held.entries()) if (names.length > held[busiest]!.length) busiest = index;
  const counts = new Map<string, number>();
  for (const name of held[busiest]!) counts.set(name || '?', (counts.get(name || '?') ?? 0) + 1);
  const whose = [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
  const node = nodes[busiest]!;
  return { node, why: `${node.name}: ${held[busiest]!.length} of ${total} connections (${whose})` };
}

/**
 * The scale-out stack (runScaledStack: two of every subgraph, worker and gateway behind HAProxy, a three-node
 * NATS cluster, MariaDB with a replica) with the one-of-each stack's {@link productionEnv}, its data under
 * `<runDir>/scaled` (deleted once stopped: some 450 MB) and each process's output in `<logDir>/<name>.log`.
 * Clients go through the balancer.
 */
export async function startScaledChaosStack(infrastructure: Infrastructure): Promise<ChaosStack> {
  const production = await productionEnv(infrastructure);
  const logs = new Map<string, WriteStream>();
  const logOf = (name: string) => {
    let log = logs.get(name);
    if (!log) {
      log = createWriteStream(join(infrastructure.logDir, `${name}.log`), { flags: 'a' });
      log.write(`--- started at ${new Date().toISOString()}\n`);
      logs.set(name, log);
    }
    return (text: string) => void log.write(text);
  };
  const closeLogs = () => Promise.all([...logs.values()].map((log) => new Promise((done) => log.end(done))));
  const dataDir = join(infrastructure.runDir, 'scaled');
  const stack = await runScaledStack(production.env, {
    dataDir,
    onOutput: (name, text) => logOf(name)(text),
  }).catch(async (error: unknown) => {
    await closeLogs();
    throw error;
  });
  const { nats, database } = stack;
  const targets = new Map<string, Target>();
  for (const process of stack.processes) targets.set(process.name, processTarget(process, logOf(process.name)));
  for (const node of nats.nodes)
    targets.set(node.name, serverNodeTarget(node.name, node, serverReady('nats', node.url)));
  for (const [name, node] of [
    ['mariadb', database.primary],
    ['replica', database.replica],
  ] as const)
    targets.set(name, serverNodeTarget(name, node, serverReady('mariadb', node.url)));
  return {
    targets,
    targetFor: async (name) => {
      if (name === 'nats') {
        const { node, why } = await busiestNatsNode(nats.nodes);
        return { target: targets.get(node.name)!, why };
      }
      const target = targets.get(ALIASES[name]);
      if (!target) throw new Error(`The scale-out stack has no ${ALIASES[name]} (for ${name}).`);
      return { target };
    },
    gatewayUrls: [stack.gatewayUrl],
    natsUrl: nats.url,
    privateKeyPem: production.privateKeyPem,
    databaseUrl: (name) => `${database.primary.url}/${SCALED_DATABASES[name]}`,
    stop: async () => {
      // A stalled process cannot handle SIGTERM.
      for (const target of targets.values()) if (target.pid() !== undefined) target.signal('SIGCONT');
      await stack.stop();
      await closeLogs();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

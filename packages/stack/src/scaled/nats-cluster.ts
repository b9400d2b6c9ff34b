import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { canConnectTcp, findExecutable, freePort, waitFor } from '../services.ts';

/** One server of a {@link NatsCluster}. */
interface NatsNode {
  name: string;
  /** Where clients connect (`nats://127.0.0.1:<port>`). */
  url: string;
  process: () => ChildProcess;
  /** SIGKILL, as a machine that died. */
  kill: () => Promise<void>;
  /** Starts it again with its data (after {@link kill}), resolving once the cluster's JetStream answers. */
  restart: () => Promise<void>;
  /** The names of the client connections it holds now (each process names its own: `gateway`, ...). */
  connectionNames: () => Promise<string[]>;
}

export interface NatsCluster {
  /** Every node's URL, comma-separated: what NATS_URL takes. */
  url: string;
  nodes: NatsNode[];
  stop: () => Promise<void>;
}

/** How long the cluster gets to elect its JetStream leader once every node is up. */
const JETSTREAM_READY_TIMEOUT_MS = 60_000;

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** A stream made and deleted to learn that the cluster can place one on all its servers. */
const PLACEMENT_CHECK = { name: 'LETSTALK_PLACEMENT_CHECK', subjects: ['letstalk.placement-check'] };

/**
 * Whether every stream has a leader and every one of its copies has caught up with it: a node that has just come
 * back serves before its copies are current, and losing another node then leaves a stream without a quorum.
 */
async function everyStreamCurrent(jsm: JetStreamManager): Promise<boolean> {
  for await (const stream of jsm.streams.list()) {
    const cluster = stream.cluster;
    if (!cluster?.leader || (cluster.replicas ?? []).some((replica) => !replica.current || replica.offline))
      return false;
  }
  return true;
}

/**
 * Resolves once the cluster can place a stream on `replicas` of its servers and every stream's copies are current,
 * through `url`: a JetStream leader answering is not enough, as a cluster that has just formed answers "no suitable
 * peers for placement" until every server has joined, and one with a node just back has streams still catching up.
 */
async function jetStreamReady(url: string, replicas: number): Promise<void> {
  const deadline = Date.now() + JETSTREAM_READY_TIMEOUT_MS;
  for (;;) {
    const nc = await connect({ servers: url.split(','), timeout: 2_000 }).catch(() => undefined);
    try {
      if (nc) {
        const jsm = await jetstreamManager(nc, { timeout: 5_000 });
        await jsm.streams.add({ ...PLACEMENT_CHECK, num_replicas: replicas, storage: StorageType.Memory });
        await jsm.streams.delete(PLACEMENT_CHECK.name);
        if (await everyStreamCurrent(jsm)) return;
      }
    } catch {
      // No leader yet, not every server has joined, or a stream is catching up.
    } finally {
      await nc?.close();
    }
    if (Date.now() > deadline)
      throw new Error(
        `the NATS cluster at ${url} was not ready in time (a JetStream leader, placement on every server, every stream's copies current)`,
      );
    await new Promise((wait) => setTimeout(wait, 500));
  }
}

/**
 * A cluster of `size` NATS servers with JetStream on loopback (the installed `nats-server`), routes between each
 * pair, data under `dataDir/nats-<n>`: what production runs as three nodes, so that streams kept on three
 * (NATS_STREAM_REPLICAS=3) outlive one node. Resolves once JetStream answers.
 */
export async function startNatsCluster(dataDir: string, size = 3): Promise<NatsCluster> {
  const natsServer = findExecutable('nats-server');
  if (!natsServer) throw new Error('nats-server is not installed (Debian: apt-get install nats-server).');
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({
      client: await freePort(),
      cluster: await freePort(),
      monitor: await freePort(),
    })),
  );
  const routes = ports.map((port) => `nats://127.0.0.1:${port.cluster}`).join(',');
  const nodes = ports.map((port, index): NatsNode & { start: () => Promise<void> } => {
    const name = `nats-${index + 1}`;
    const storeDir = join(dataDir, name);
    mkdirSync(storeDir, { recursive: true });
    let child: ChildProcess | undefined;
    const start = async () => {
      child = spawn(
        natsServer,
        [
          ...['-n', name, '-a', '127.0.0.1', '-p', String(port.client), '-js', '-sd', storeDir],
          // The monitoring endpoint (on loopback, as the client port): which connections a node holds.
          ...['-m', String(port.monitor)],
          ...['--cluster_name', 'letstalk', '--cluster', `nats://127.0.0.1:${port.cluster}`, '--routes', routes],
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      await waitFor(() => canConnectTcp('127.0.0.1', port.client), name, child);
    };
    return {
      name,
      url: `nats://127.0.0.1:${port.client}`,
      process: () => child!,
      start,
      kill: async () => {
        child?.kill('SIGKILL');
        if (child) await exitOf(child);
      },
      // Back in the cluster once JetStream answers through it again.
      restart: async () => {
        await start();
        await jetStreamReady(nodes.map((node) => node.url).join(','), size);
      },
      connectionNames: async () => {
        const response = await fetch(`http://127.0.0.1:${port.monitor}/connz?limit=10000`, {
          signal: AbortSignal.timeout(5_000),
        });
        const { connections } = (await response.json()) as { connections?: { name?: string }[] };
        return (connections ?? []).map((connection) => connection.name ?? '');
      },
    };
  });
  await Promise.all(nodes.map((node) => node.start()));
  const url = nodes.map((node) => node.url).join(',');
  await jetStreamReady(url, size);
  return {
    url,
    nodes,
    stop: async () => {
      await Promise.all(
        nodes.map(async (node) => {
          const child = node.process();
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          await exitOf(child);
        }),
      );
    },
  };
}

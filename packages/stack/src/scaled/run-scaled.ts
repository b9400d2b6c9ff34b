import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { connectNats, ensureStreams } from '@letstalk/events';
import { freePort } from '../services.ts';
import { spawnService } from '../spawn-service.ts';
import { SUBGRAPHS, WORKERS } from '../subgraphs.ts';
import { buildWebDemo, serveWebDemo, webDemoOrigins } from '../web-demo.ts';
import { MAX_WS_CONNECTIONS_PER_IP } from '../../../../gateway/src/connection-caps.ts';
import { startHaproxy, type Balanced } from './haproxy.ts';
import { startReplicatedMariadb, type ReplicatedMariadb } from './mariadb-replica.ts';
import { startNatsCluster, type NatsCluster } from './nats-cluster.ts';

/** How many instances of every process the scaled stack runs. */
const INSTANCES = 2;
/** How long the balancer may take to send requests to every instance once they are ready. */
const BALANCED_TIMEOUT_MS = 30_000;

/**
 * Resolves once `<origin>/readyz` through the balancer has answered 200 as many times in a row as there are
 * instances and twice more (round robin: each of them has answered).
 */
async function untilBalanced(origin: string, instances: number): Promise<void> {
  const deadline = Date.now() + BALANCED_TIMEOUT_MS;
  for (let inARow = 0; inARow < instances + 2;) {
    const ok = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    inARow = ok ? inARow + 1 : 0;
    if (Date.now() > deadline) throw new Error(`the balancer at ${origin} did not reach every instance in time`);
    if (!ok) await new Promise((wait) => setTimeout(wait, 250));
  }
}

/** Builds the demo web chat under `dataDir/web-demo` and serves it on a free port, talking to `gatewayPort`. */
async function serveBuiltWebDemo(
  dataDir: string,
  gatewayPort: number,
  onOutput?: (name: string, text: string) => void,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const root = join(dataDir, 'web-demo');
  if (!(await buildWebDemo(root, (line) => onOutput?.('web-demo', `${line}\n`))))
    throw new Error('the web demo did not build');
  const server = await serveWebDemo(root, 0, gatewayPort);
  return {
    port: (server.address() as { port: number }).port,
    stop: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** One process of the scaled stack, which the fault suite may kill and start again. */
interface ScaledProcess {
  /** `user-1`, `message-2`, `media-worker-1`, `gateway-2`, ... */
  name: string;
  origin: string;
  child: () => ChildProcess;
  kill: () => Promise<void>;
  restart: () => Promise<void>;
}

export interface ScaledStack {
  /** The balancer's URL for the gateways: what clients use. */
  gatewayUrl: string;
  /** The balancer's URL for each subgraph. */
  subgraphUrls: Record<(typeof SUBGRAPHS)[number]['name'], string>;
  processes: ScaledProcess[];
  nats: NatsCluster;
  database: ReplicatedMariadb;
  /** The environment every process got (NATS_URL, DATABASE_URL, DATABASE_READ_URL, ...). */
  env: Record<string, string>;
  /** The demo web chat, talking to the gateways through the balancer (when asked for with `webDemo`). */
  webDemoUrl?: string;
  stop: () => Promise<void>;
}

/**
 * Two of everything on one machine (issue 19): a three-node NATS cluster (streams on all three), MariaDB with a
 * replica (lag-tolerant reads there), two instances of every subgraph, worker and gateway, and HAProxy in front of
 * the gateways and of each subgraph (the gateways reach the subgraphs through it). `env` is added to every
 * process's (sign-in providers, SMTP, ...). Everything keeps its data under `dataDir`; the instances share
 * DATA_DIR (signing keys, URL secrets and media files, as one volume would).
 */
export async function runScaledStack(
  env: Record<string, string>,
  options: {
    dataDir: string;
    onOutput?: (name: string, text: string) => void;
    /** Builds and serves the demo web chat (packages/web-demo), as `npm start` does. */
    webDemo?: boolean;
  },
): Promise<ScaledStack> {
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true });
  const stopping: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await step().catch(() => undefined);
  };
  try {
    const nats = await startNatsCluster(join(dataDir, 'nats'));
    stopping.push(nats.stop);
    const database = await startReplicatedMariadb(join(dataDir, 'mariadb'));
    stopping.push(database.stop);
    const nc = await connectNats(nats.url, 'scaled-stack', { streamReplicas: 3 });
    await ensureStreams(nc);
    await nc.close();

    const portsOf = async () => Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
    const balanced: Balanced[] = [];
    const balance = async (name: string) => {
      const service: Balanced = { name, port: await freePort(), servers: [] };
      for (const [index, port] of (await portsOf()).entries())
        service.servers.push({ name: `${name}-${index + 1}`, port });
      balanced.push(service);
      return service;
    };
    const subgraphs = await Promise.all(SUBGRAPHS.map(({ name }) => balance(name)));
    const gateways = await balance('gateway');
    // The balancer is one more proxy before the gateways: it says who the client is, and caps a client network's
    // sockets over both gateways, each of which counts only its own.
    const proxyHops = Number(env['TRUST_PROXY_HOPS'] ?? 0);
    gateways.clients = {
      maxSockets: Number(env['GATEWAY_MAX_WS_CONNECTIONS_PER_IP'] ?? MAX_WS_CONNECTIONS_PER_IP),
      forwarded: proxyHops > 0,
    };
    const lbUrl = (service: Balanced) => `http://127.0.0.1:${service.port}`;
    const userLb = lbUrl(subgraphs[0]!);
    const shared: Record<string, string> = {
      NODE_ENV: 'development',
      DATA_DIR: join(dataDir, 'shared'),
      METRICS_PORT: '',
      ...env,
      DATABASE_URL: database.primary.url,
      DATABASE_READ_URL: database.replica.url,
      NATS_URL: nats.url,
      NATS_STREAM_REPLICAS: '3',
      AUTH_JWKS_URL: `${userLb}/.well-known/jwks.json`,
      MEDIA_PUBLIC_URL: env['MEDIA_PUBLIC_URL'] ?? lbUrl(gateways),
    };
    const processes: ScaledProcess[] = [];
    const launch = async (name: string, entry: string, port: number, own: Record<string, string>) => {
      const origin = `http://127.0.0.1:${port}`;
      const processEnv = { ...shared, ...own };
      const onOutput = (text: string) => options.onOutput?.(name, text);
      let current = await spawnService(entry, processEnv, { origin, onOutput });
      const process: ScaledProcess = {
        name,
        origin,
        child: () => current.child,
        kill: async () => {
          const exited = new Promise((resolve) => current.child.once('exit', resolve));
          current.child.kill('SIGKILL');
          await exited;
        },
        restart: async () => {
          current = await spawnService(entry, processEnv, { origin, onOutput });
        },
      };
      processes.push(process);
      stopping.push(() => current.stop());
    };
    await Promise.all(
      subgraphs.flatMap((service) =>
        service.servers.map((server) =>
          launch(server.name, `subgraphs/${service.name}/src/index.ts`, server.port, {
            [`${service.name.toUpperCase()}_PORT`]: String(server.port),
          }),
        ),
      ),
    );
    await Promise.all(
      WORKERS.flatMap(async (worker) =>
        Promise.all(
          (await portsOf()).map((port, index) =>
            launch(`${worker.name}-${index + 1}`, worker.entry, port, { [worker.portVariable]: String(port) }),
          ),
        ),
      ),
    );
    const webDemo = options.webDemo ? await serveBuiltWebDemo(dataDir, gateways.port, options.onOutput) : undefined;
    if (webDemo) stopping.push(webDemo.stop);
    const child = await startHaproxy(dataDir, balanced);
    stopping.push(async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    });
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((service) => [service.name, `${lbUrl(service)}/graphql`]),
    ) as ScaledStack['subgraphUrls'];
    await Promise.all(
      gateways.servers.map((server) =>
        launch(server.name, 'gateway/src/index.ts', server.port, {
          GATEWAY_PORT: String(server.port),
          TRUST_PROXY_HOPS: String(proxyHops + 1),
          // An explicit list of CORS origins (development allows any) gets the demo's, as with `npm start`.
          ...(webDemo && shared['CORS_ORIGINS'] && !shared['CORS_ORIGINS'].includes('*')
            ? { CORS_ORIGINS: [shared['CORS_ORIGINS'], ...webDemoOrigins(webDemo.port)].join(',') }
            : {}),
          ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
        }),
      ),
    );
    // HAProxy marked the gateways down while they started; it takes them back at its next check (every second).
    await untilBalanced(lbUrl(gateways), gateways.servers.length);
    return {
      gatewayUrl: `${lbUrl(gateways)}/graphql`,
      subgraphUrls,
      processes,
      nats,
      database,
      env: shared,
      ...(webDemo ? { webDemoUrl: `http://127.0.0.1:${webDemo.port}/` } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

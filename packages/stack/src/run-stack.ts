import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './services.ts';
import { repoRoot } from './subgraphs.ts';
import { inheritedEnvironment } from './env.ts';
import { spawnService, waitReady } from './spawn-service.ts';

export interface RunningStack {
  gatewayUrl: string;
  /** Every gateway: the stack's own first, then the extra ones. */
  gatewayUrls: string[];
  /** The process id of `npm start` (its processes are its descendants). */
  pid: number;
  /** Process ids of the extra gateways (benchmarks read their memory). */
  extraGatewayPids: number[];
  subgraphUrls: { user: string; message: string; media: string; preview: string };
  /** The workers' HTTP origins (`/healthz`, `/readyz`, `/metrics`). */
  workerUrls: { mediaWorker: string; previewWorker: string };
  /** The demo web chat `npm start` serves (packages/web-demo). */
  webDemoUrl: string;
  output: () => string;
  /**
   * Ctrl-C: SIGINT to the whole process group, as in a terminal; rejects unless it stopped cleanly (no stack
   * trace, and no process that died meanwhile unless `crashesExpected`).
   */
  stop: (options?: { crashesExpected?: boolean }) => Promise<void>;
}

type SubgraphUrls = RunningStack['subgraphUrls'];

const subgraphUrlsOf = (ports: {
  USER_PORT: number;
  MESSAGE_PORT: number;
  MEDIA_PORT: number;
  PREVIEW_PORT: number;
}): SubgraphUrls => ({
  user: `http://127.0.0.1:${ports.USER_PORT}/graphql`,
  message: `http://127.0.0.1:${ports.MESSAGE_PORT}/graphql`,
  media: `http://127.0.0.1:${ports.MEDIA_PORT}/graphql`,
  preview: `http://127.0.0.1:${ports.PREVIEW_PORT}/graphql`,
});

/**
 * Starts one more gateway process on a free port against the given subgraphs (tokens are checked against the
 * user subgraph's JWKS unless `jwksUrl` says where), and resolves once its `/readyz` answers 200. `env` is the stack's environment
 * (NATS_URL above all: live events reach every gateway through it).
 */
export async function spawnGateway(
  env: Record<string, string>,
  subgraphUrls: SubgraphUrls,
  options: { onOutput?: (text: string) => void; jwksUrl?: string } = {},
): Promise<{ child: ChildProcess; port: number; url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const { child, stop } = await spawnService(
    'gateway/src/index.ts',
    {
      ...env,
      GATEWAY_PORT: String(port),
      AUTH_JWKS_URL: options.jwksUrl ?? subgraphUrls.user.replace(/\/graphql$/, '/.well-known/jwks.json'),
      USER_URL: subgraphUrls.user,
      MESSAGE_URL: subgraphUrls.message,
      MEDIA_URL: subgraphUrls.media,
      PREVIEW_URL: subgraphUrls.preview,
    },
    { origin: `http://127.0.0.1:${port}`, ...(options.onOutput ? { onOutput: options.onOutput } : {}) },
  );
  return { child, port, url: `http://127.0.0.1:${port}/graphql`, stop };
}

/**
 * Runs `npm start` (the README's command) on free ports with extra environment, and resolves once the
 * gateway's `/readyz` answers 200. For the end-to-end tests and the benchmarks. `extraGateways` more
 * gateway processes run beside it against the same subgraphs, as further instances behind a load balancer would.
 */
export async function runStack(
  env: Record<string, string>,
  options: { extraGateways?: number } = {},
): Promise<RunningStack> {
  const ports = {
    GATEWAY_PORT: 0,
    USER_PORT: 0,
    MESSAGE_PORT: 0,
    MEDIA_PORT: 0,
    PREVIEW_PORT: 0,
    MEDIA_WORKER_PORT: 0,
    PREVIEW_WORKER_PORT: 0,
    WEB_DEMO_PORT: 0,
  };
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
  let output = '';
  const stack = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inheritedEnvironment(),
      ...Object.fromEntries(Object.entries(ports).map(([key, value]) => [key, String(value)])),
      ...env,
    },
  });
  stack.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => stack.once('exit', () => resolve()));

  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  try {
    await waitReady(gateway, () =>
      stack.exitCode !== null ? `npm start exited with ${stack.exitCode}:\n${output}` : undefined,
    );
  } catch (error) {
    if (stack.exitCode === null) process.kill(-stack.pid!, 'SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  const extraGateways: ChildProcess[] = [];
  const extraPorts: number[] = [];
  const stopExtraGateways = async () => {
    await Promise.all(
      extraGateways.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }),
    );
  };
  try {
    for (let index = 0; index < (options.extraGateways ?? 0); index += 1) {
      const extra = await spawnGateway(env, subgraphUrlsOf(ports), { onOutput: (text) => (output += text) });
      extraGateways.push(extra.child);
      extraPorts.push(extra.port);
    }
  } catch (error) {
    await stopExtraGateways();
    process.kill(-stack.pid!, 'SIGINT');
    await exited;
    throw error;
  }
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  return {
    gatewayUrl: url(ports.GATEWAY_PORT),
    gatewayUrls: [url(ports.GATEWAY_PORT), ...extraPorts.map(url)],
    pid: stack.pid!,
    extraGatewayPids: extraGateways.map((child) => child.pid!),
    subgraphUrls: subgraphUrlsOf(ports),
    workerUrls: {
      mediaWorker: `http://127.0.0.1:${ports.MEDIA_WORKER_PORT}`,
      previewWorker: `http://127.0.0.1:${ports.PREVIEW_WORKER_PORT}`,
    },
    webDemoUrl: `http://127.0.0.1:${ports.WEB_DEMO_PORT}/`,
    output: () => output,
    stop: async (options = {}) => {
      await stopExtraGateways();
      process.kill(-stack.pid!, 'SIGINT');
      await exited;
      const crashed = options.crashesExpected ? false : /exited \(/.test(output);
      const clean = output.includes('[stack]\x1b[0m stopped') && !/\n\s+at /.test(output) && !crashed;
      if (!clean) throw new Error(`npm start did not stop cleanly:\n${output.slice(-4000)}`);
    },
  };
}

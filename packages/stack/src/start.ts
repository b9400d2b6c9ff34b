import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  commonEnv,
  databaseUrl,
  exitOnConfigError,
  loadConfig,
  natsStreamReplicas,
  natsUrl,
  port,
  z,
} from '@letstalk/config';
import { connectNats, ensureStreams } from '@letstalk/events';
import { ensureDatabaseServer, ensureNatsServer, type EmbeddedService } from './services.ts';
import { repoRoot, SUBGRAPHS, WORKERS } from './subgraphs.ts';
import { inheritedEnvironment, nodeArguments } from './env.ts';
import { buildWebDemo, serveWebDemo, webDemoOrigins } from './web-demo.ts';

/** How long each process gets to answer `/readyz` with 200 after it is started. */
export const READY_TIMEOUT_MS = 90_000;

// `npm start` reads .env when there is one; the services it starts inherit the variables.
if (existsSync(join(repoRoot, '.env'))) process.loadEnvFile(join(repoRoot, '.env'));

const env = (() => {
  try {
    return loadConfig('npm start', {
      ...commonEnv,
      // The processes default to production; `npm start` is the developer's runner, so it defaults to development.
      NODE_ENV: commonEnv.NODE_ENV.removeDefault().default('development'),
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      NATS_STREAM_REPLICAS: natsStreamReplicas,
      GATEWAY_PORT: port(4000),
      USER_PORT: port(4001),
      MESSAGE_PORT: port(4002),
      MEDIA_PORT: port(4003),
      PREVIEW_PORT: port(4004),
      MEDIA_WORKER_PORT: port(4013),
      PREVIEW_WORKER_PORT: port(4014),
      MEDIA_PUBLIC_URL: z.url().optional(),
      WEB_DEMO_PORT: port(4080),
      CORS_ORIGINS: z.string().optional(),
    });
  } catch (error) {
    return exitOnConfigError(error);
  }
})();

const colors = [36, 33, 35, 32, 34, 31];
const say = (line: string) => console.log(`\x1b[1m[stack]\x1b[0m ${line}`);
/** A process `npm start` runs, and restarts when it dies. */
interface Supervised {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  color: number;
  process: ChildProcess;
  startedAt: number;
  /** Crashes in a row (reset once it stays up RESTART_RESET_MS). */
  crashes: number;
}

const children: Supervised[] = [];
const embedded: EmbeddedService[] = [];
let webDemo: Server | undefined;
let stopping = false;

function prefixed(name: string, child: ChildProcess, color: number) {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      console.log(`\x1b[${color}m[${name}]\x1b[0m ${line}`);
    });
  }
}

/** The first restart's delay; each crash in a row doubles it, up to RESTART_MAX_DELAY_MS. */
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;
/** A process up this long is well again: its next crash restarts it after the first delay. */
const RESTART_RESET_MS = 60_000;
/** The exit status of a process whose configuration is invalid (exitOnConfigError): a restart cannot help. */
const CONFIG_ERROR_EXIT_CODE = 78;

function startProcess(name: string, entry: string, extraEnv: Record<string, string>) {
  const env = { ...inheritedEnvironment(), ...extraEnv };
  const supervised: Supervised = {
    name,
    entry,
    env,
    color: colors[children.length % colors.length] ?? 36,
    process: launch(entry, env),
    startedAt: Date.now(),
    crashes: 0,
  };
  children.push(supervised);
  supervise(supervised);
}

function launch(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, nodeArguments(join(repoRoot, entry)), {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Prints the process's lines, and when it dies (not stopped by us), says so and starts it again after a
 * back-off (1 s doubling to 30 s), so the rest of the stack stays up; an invalid configuration stops
 * everything instead, since a restart would fail the same way.
 */
function supervise(supervised: Supervised) {
  const child = supervised.process;
  prefixed(supervised.name, child, supervised.color);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    if (code === CONFIG_ERROR_EXIT_CODE) {
      say(`${supervised.name} exited: its configuration is invalid (above); stopping everything`);
      void stop(1);
      return;
    }
    if (Date.now() - supervised.startedAt > RESTART_RESET_MS) supervised.crashes = 0;
    const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** supervised.crashes);
    supervised.crashes += 1;
    say(`${supervised.name} exited (${signal ?? code}); restarting it in ${delay / 1000} s`);
    setTimeout(() => {
      if (stopping) return;
      supervised.process = launch(supervised.entry, supervised.env);
      supervised.startedAt = Date.now();
      say(`${supervised.name} restarted`);
      supervise(supervised);
    }, delay);
  });
}

async function waitReady(name: string, url: string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((wait) => setTimeout(wait, 300));
  }
  throw new Error(`${name} was not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  // Its own deadline (SHUTDOWN_TIMEOUT_MS) and then some: killed only if it hangs past it.
  const timer = setTimeout(() => child.kill('SIGKILL'), env.SHUTDOWN_TIMEOUT_MS + 5_000);
  await exited;
  clearTimeout(timer);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  say('stopping');
  // The gateway first, then the subgraphs, then the servers they use.
  webDemo?.close();
  await Promise.all(children.reverse().map((child) => stopChild(child.process)));
  await Promise.all(embedded.map((service) => stopChild(service.process)));
  say('stopped');
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  for (const service of [
    await ensureDatabaseServer(env.DATABASE_URL, env.DATA_DIR, say),
    await ensureNatsServer(env.NATS_URL, env.DATA_DIR, say),
  ]) {
    if (service) embedded.push(service);
  }
  const nc = await connectNats(env.NATS_URL, 'stack', { streamReplicas: env.NATS_STREAM_REPLICAS });
  await ensureStreams(nc);
  await nc.close();
  say('JetStream streams ready');

  const portOf = { user: env.USER_PORT, message: env.MESSAGE_PORT, media: env.MEDIA_PORT, preview: env.PREVIEW_PORT };
  const urlOf = (name: keyof typeof portOf) => `http://127.0.0.1:${portOf[name]}`;
  const shared = {
    // What the runner settled on (NODE_ENV defaults differ; the database and NATS are the ones it checked).
    NODE_ENV: env.NODE_ENV,
    DATABASE_URL: env.DATABASE_URL,
    NATS_URL: env.NATS_URL,
    // Seven processes on one machine cannot share one metrics listener: each serves /metrics on its own port.
    METRICS_PORT: '',
    AUTH_JWKS_URL: `${urlOf('user')}/.well-known/jwks.json`,
    // Image URLs point at the gateway, which streams them from the media subgraph.
    MEDIA_PUBLIC_URL: env.MEDIA_PUBLIC_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT}`,
  };
  const webDemoDir = resolve(repoRoot, env.DATA_DIR, 'web-demo');
  const webDemoBuilt = buildWebDemo(webDemoDir, say);
  for (const { name } of SUBGRAPHS) {
    startProcess(name, `subgraphs/${name}/src/index.ts`, shared);
  }
  await Promise.all(SUBGRAPHS.map(({ name }) => waitReady(name, `${urlOf(name)}/readyz`)));
  // Workers start once their subgraph has migrated its database.
  const workerPorts = { MEDIA_WORKER_PORT: env.MEDIA_WORKER_PORT, PREVIEW_WORKER_PORT: env.PREVIEW_WORKER_PORT };
  for (const worker of WORKERS) startProcess(worker.name, worker.entry, shared);
  await Promise.all(
    WORKERS.map((worker) => waitReady(worker.name, `http://127.0.0.1:${workerPorts[worker.portVariable]}/readyz`)),
  );
  webDemo = (await webDemoBuilt) ? await serveWebDemo(webDemoDir, env.WEB_DEMO_PORT, env.GATEWAY_PORT) : undefined;
  const webDemoPort = webDemo ? (webDemo.address() as { port: number }).port : undefined;
  // An explicit list of CORS origins (development allows any) gets the demo's, so the page can call the gateway.
  const corsOrigins = env.CORS_ORIGINS?.trim() && webDemoPort !== undefined && !env.CORS_ORIGINS.includes('*');
  startProcess('gateway', 'gateway/src/index.ts', {
    ...shared,
    ...(corsOrigins ? { CORS_ORIGINS: [env.CORS_ORIGINS, ...webDemoOrigins(webDemoPort)].join(',') } : {}),
    ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_URL`, `${urlOf(name)}/graphql`])),
  });
  const gateway = `http://127.0.0.1:${env.GATEWAY_PORT}`;
  await waitReady('gateway', `${gateway}/readyz`);
  say(`LetsTalk is up.`);
  say(`  GraphQL (HTTP and graphql-ws): ${gateway}/graphql`);
  say(`  Explorer (open in a browser):  ${gateway}/graphql`);
  say(`  Health: ${gateway}/healthz   Readiness: ${gateway}/readyz`);
  if (webDemoPort !== undefined) say(`  web demo: http://127.0.0.1:${webDemoPort}/`);
  say('Press Ctrl-C to stop.');
} catch (error) {
  console.error(`\x1b[31m[stack]\x1b[0m ${(error as Error).message}`);
  await stop(1);
}

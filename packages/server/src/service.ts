import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AccessTokenVerifier } from '@letstalk/auth';
import {
  createDatabase,
  createPool,
  createReadRouting,
  ensureDatabase,
  isDatabaseReady,
  migrateDatabase,
  watchPool,
  type Database,
  type Pool,
  type ReadRouting,
} from '@letstalk/db';
import {
  connectNats,
  ensureStreams,
  ensureStreamsOnReconnect,
  isJetStreamReady,
  isNatsReady,
  startOutboxRelay,
  type OutboxRelay,
} from '@letstalk/events';
import { exitOnConfigError } from '@letstalk/config';
import { createLogger, type Logger } from '@letstalk/log';
import type { MetricsEnv } from '@letstalk/metrics';
import { startTracing, type TracingEnv } from '@letstalk/tracing';
import type { Express } from 'express';
import type { BaseContext } from './base-context.ts';
import type { Readiness } from './health-routes.ts';
import { createHttpServer } from './http-server.ts';
import { startSubgraph, type RunningSubgraph } from './subgraph-server.ts';

/** What every subgraph's configuration has. */
interface SubgraphServiceEnv extends MetricsEnv {
  NODE_ENV: 'development' | 'production' | 'test';
  LOG_LEVEL: string;
  DATABASE_URL: string;
  DATABASE_READ_URL?: string | undefined;
  NATS_URL: string;
  NATS_STREAM_REPLICAS?: number | undefined;
  SHUTDOWN_TIMEOUT_MS: number;
}

/** The connections a subgraph gets from {@link startSubgraphService}. */
export interface Infrastructure<Schema extends Record<string, unknown>> {
  pool: Pool;
  db: Database<Schema>;
  /** Where reads that tolerate lag go: the replica (DATABASE_READ_URL) while it is up and close behind. */
  reads: ReadRouting<Schema>;
  nc: NatsConnection;
  relay: OutboxRelay;
  log: Logger;
}

/** What a subgraph and a worker process are started with. */
export interface ServiceOptions<Schema extends Record<string, unknown>> {
  name: string;
  env: SubgraphServiceEnv;
  /** The subgraph's folder (a worker's: its owning subgraph's): its SDL is `src/schema.graphql`, its migrations `migrations/`. */
  root: string;
  database: string;
  host: string;
  port: number;
  tables: Schema;
  log?: Logger;
}

export interface SubgraphServiceOptions<
  Schema extends Record<string, unknown>,
  Context extends BaseContext,
> extends ServiceOptions<Schema> {
  resolvers: object;
  /** Accept GraphQL multipart requests (file uploads) with these limits. */
  uploads?: { maxFileBytes: number; maxFiles: number };
  /** Builds the per-request context (and anything long-lived it needs) from the connections. */
  setup: (infrastructure: Infrastructure<Schema>) => Promise<{
    verifyAccessToken: AccessTokenVerifier;
    context: (base: BaseContext) => Context | Promise<Context>;
    routes?: (app: Express) => void;
    stop?: () => Promise<void>;
  }>;
}

const loadTypeDefs = (root: string) => parse(readFileSync(join(root, 'src/schema.graphql'), 'utf8'));

/**
 * What a subgraph and a worker both start with: the database (created if missing, migrated under a lock),
 * NATS and the JetStream streams (created or updated, idempotent), and the outbox relay; `close()` ends
 * them in order. `readiness` is what `/readyz` checks: the database and NATS answer.
 */
async function connectInfrastructure<Schema extends Record<string, unknown>>(
  options: ServiceOptions<Schema> & { log: Logger },
): Promise<Infrastructure<Schema> & { readiness: Readiness; close: () => Promise<void> }> {
  await ensureDatabase(options.env.DATABASE_URL, options.database);
  const pool = createPool(options.env.DATABASE_URL, options.database);
  const stopWatchingPool = watchPool(pool);
  await migrateDatabase(pool, join(options.root, 'migrations'));
  const nc = await connectNats(options.env.NATS_URL, options.name, {
    streamReplicas: options.env.NATS_STREAM_REPLICAS,
  });
  await ensureStreams(nc);
  ensureStreamsOnReconnect(nc, options.log);
  const db = createDatabase(pool, options.tables);
  const readUrl = options.env.DATABASE_READ_URL;
  const replicaPool = readUrl ? createPool(readUrl, options.database, 5) : undefined;
  const reads = createReadRouting({
    primary: db,
    replica: replicaPool && { pool: replicaPool, db: createDatabase(replicaPool, options.tables) },
    log: options.log,
  });
  const relay = startOutboxRelay({ pool, nc, log: options.log });
  return {
    pool,
    db,
    reads,
    nc,
    relay,
    log: options.log,
    // JetStream as well as NATS: a process that can reach NATS but not its streams can neither publish nor consume.
    readiness: {
      database: () => isDatabaseReady(pool),
      nats: () => isNatsReady(nc),
      jetstream: () => isJetStreamReady(nc),
    },
    close: async () => {
      await relay.stop();
      await nc.drain();
      stopWatchingPool();
      await reads.close();
      await pool.end();
    },
  };
}

/**
 * The start-up every subgraph shares: its database (created if missing, migrated under a lock), NATS and
 * the JetStream streams (created or updated, idempotent), the outbox relay, then the GraphQL server with
 * `/healthz` and `/readyz`. `stop()` closes them in order.
 */
export async function startSubgraphService<Schema extends Record<string, unknown>, Context extends BaseContext>(
  options: SubgraphServiceOptions<Schema, Context>,
): Promise<RunningSubgraph> {
  const log = options.log ?? createLogger({ service: options.name, env: options.env });
  const infrastructure = await connectInfrastructure({ ...options, name: `${options.name}-subgraph`, log });
  const parts = await options.setup(infrastructure);
  const subgraph = await startSubgraph({
    name: options.name,
    typeDefs: loadTypeDefs(options.root),
    resolvers: options.resolvers,
    host: options.host,
    port: options.port,
    exposeInternalErrors: options.env.NODE_ENV === 'development',
    log,
    verifyAccessToken: parts.verifyAccessToken,
    context: parts.context,
    readiness: infrastructure.readiness,
    metrics: options.env,
    shutdownTimeoutMs: options.env.SHUTDOWN_TIMEOUT_MS,
    ...(parts.routes ? { routes: parts.routes } : {}),
    ...(options.uploads ? { uploads: options.uploads } : {}),
  });
  return {
    ...subgraph,
    stop: async () => {
      await subgraph.stop();
      await parts.stop?.();
      await infrastructure.close();
    },
  };
}

/**
 * The start-up a worker process shares with the subgraphs (database created and migrated, NATS and the
 * streams, the outbox relay), with a small HTTP server for `/healthz` and `/readyz` instead of GraphQL, so
 * it is supervised like any other service. `stop()` drains the worker first.
 */
export async function startWorkerService<Schema extends Record<string, unknown>>(
  options: ServiceOptions<Schema> & {
    setup: (infrastructure: Infrastructure<Schema>) => Promise<{ stop: () => Promise<void> }>;
  },
): Promise<RunningSubgraph> {
  const log = options.log ?? createLogger({ service: options.name, env: options.env });
  const infrastructure = await connectInfrastructure({ ...options, log });
  const worker = await options.setup(infrastructure);
  const http = createHttpServer({
    name: options.name,
    readiness: infrastructure.readiness,
    metrics: { env: options.env, warn: (message) => log.warn(message) },
  });
  const { port, origin } = await http.listen(options.host, options.port);
  log.info({ port }, `${options.name} ready`);
  return {
    url: origin,
    port,
    stop: async () => {
      await http.stop();
      await worker.stop();
      await infrastructure.close();
    },
  };
}

/** What {@link runService} reads of a service's validated environment. */
interface RunnableEnv extends TracingEnv {
  NODE_ENV: string;
  LOG_LEVEL: string;
  SHUTDOWN_TIMEOUT_MS: number;
}

/** Exit status after a second signal: the shell's convention, 128 + the signal's number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The body of every service's `index.ts`: validate the environment (printing every problem and exiting
 * with status 78 on failure), start, and stop gracefully on SIGTERM or SIGINT: the service's `stop()`
 * stops accepting, finishes in-flight requests and jobs, closes sockets and drains NATS, within
 * SHUTDOWN_TIMEOUT_MS (then exit status 1); the same signal a second time exits at once. Tracing is turned on first when
 * a collector is configured (`name` is then the spans' `service.name`), and the spans still buffered are
 * exported last when stopping.
 */
export async function runService<Env extends RunnableEnv>(
  name: string,
  loadEnv: () => Env,
  start: (env: Env, log: Logger) => Promise<{ stop: () => Promise<void> }>,
): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    exitOnConfigError(error);
  }
  const log = createLogger({ service: name, env });
  const tracing = await startTracing(name, env, () => log);
  let service: { stop: () => Promise<void> } | undefined;
  let stoppingOn: string | undefined;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    if (!service || stoppingOn === signal) {
      log.warn(service ? `${signal} again: exiting now` : `${signal} while starting: exiting now`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    // Ctrl-C reaches every process of the terminal's group, and a supervisor (npm start) may then send
    // SIGTERM too: another signal is the same request, and stopping goes on.
    if (stoppingOn) return;
    stoppingOn = signal;
    log.info({ deadlineMs: env.SHUTDOWN_TIMEOUT_MS }, `${signal}: stopping`);
    setTimeout(() => {
      log.error(`still stopping after SHUTDOWN_TIMEOUT_MS (${env.SHUTDOWN_TIMEOUT_MS} ms): exiting now`);
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    service
      .stop()
      .then(() => tracing.stop())
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
  try {
    service = await start(env, log);
  } catch (error) {
    log.fatal({ err: error }, `${name} could not start`);
    process.exit(1);
  }
}

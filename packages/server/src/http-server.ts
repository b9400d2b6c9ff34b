import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, { type Express } from 'express';
import {
  METRICS_PATH,
  metricsHandler,
  metricsPlacement,
  startMetricsListener,
  type MetricsEnv,
} from '@letstalk/metrics';
import { healthRoutes, type Readiness } from './health-routes.ts';
import { isGraphqlRequest, type HttpHandler } from './http.ts';

/** While stopping, how often connections that went idle are closed. */
const IDLE_SWEEP_MS = 50;

export interface HttpServerOptions {
  /** The service's name, as `/healthz` and `/readyz` report it. */
  name: string;
  readiness: Readiness;
  /** Sees every request first, and has answered it when it returns `true` (the gateway refuses non-path targets). */
  screen?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * Serve Prometheus's `GET /metrics` as `env` says (see metricsPlacement): on this server, or on a listener
   * of its own started and stopped with it. `public` for the gateway; `warn` hears why it is not served.
   */
  metrics?: { env: MetricsEnv; public?: boolean; warn?: (message: string) => void };
  /**
   * The process's SHUTDOWN_TIMEOUT_MS: requests in flight get {@link DRAIN_SHARE} of it to be answered before
   * their connections are cut, leaving the rest to the parts that stop after (consumers, NATS).
   */
  shutdownTimeoutMs?: number;
}

/** The share of SHUTDOWN_TIMEOUT_MS that answering requests in flight may take. */
const DRAIN_SHARE = 0.8;
/** SHUTDOWN_TIMEOUT_MS's default (see @letstalk/config), for a server started without one (tests). */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 15_000;

/** One LetsTalk process's HTTP server; see {@link createHttpServer}. */
export interface HttpServer {
  /** The routes other than GraphQL; `/healthz` and `/readyz` are there already. */
  app: Express;
  /** The Node server, for WebSocket upgrades and connection caps. */
  server: http.Server;
  /** The plugin its Apollo Server takes, so that stopping Apollo first drains this server (see `stop`). */
  drainPlugin: () => ApolloServerPlugin;
  /** From now on GraphQL requests go straight to `handler`, before express; `apollo` is stopped by `stop`. */
  serveGraphql: (handler: HttpHandler, apollo: { stop: () => Promise<void> }) => void;
  /**
   * Listens on `host:port` (port 0: a free one); resolves with the port taken and the origin to call it on,
   * and the port of the metrics listener when there is one.
   */
  listen: (host: string, port: number) => Promise<{ port: number; origin: string; metricsPort?: number }>;
  /**
   * Stops it (`/readyz` answers 503 from then on): with GraphQL, by stopping Apollo, which drains this server first (each open connection
   * closed once its request is answered); then, if it still listens, by closing it and waiting for its
   * connections.
   */
  stop: () => Promise<void>;
}

/**
 * The HTTP server every LetsTalk process runs (subgraphs, workers, the gateway): express with
 * `/healthz` and `/readyz` for the routes, GraphQL requests handed to their handler without express
 * (see graphqlHttpHandler), one way to listen and one to stop.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  let stopping = false;
  healthRoutes(app, options.name, options.readiness, () => stopping);
  const metrics = options.metrics && metricsPlacement(options.metrics.env, { public: options.metrics.public ?? false });
  if (metrics?.warning) options.metrics?.warn?.(metrics.warning);
  if (metrics?.onMainPort) app.get(METRICS_PATH, metricsHandler(metrics.token));
  let metricsListener: { port: number; close: () => Promise<void> } | undefined;
  let graphql: { handler: HttpHandler; apollo: { stop: () => Promise<void> } } | undefined;
  const server = http.createServer((req, res) => {
    if (options.screen?.(req, res)) return;
    if (graphql && isGraphqlRequest(req)) graphql.handler(req, res);
    else app(req, res);
  });
  return {
    app,
    server,
    drainPlugin: () =>
      ApolloServerPluginDrainHttpServer({
        httpServer: server,
        stopGracePeriodMillis: Math.floor((options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) * DRAIN_SHARE),
      }),
    serveGraphql: (handler, apollo) => {
      graphql = { handler, apollo };
    },
    listen: async (host, port) => {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const { port: taken } = server.address() as AddressInfo;
      if (metrics?.ownListener) {
        const { host: metricsHost, port: metricsPort } = metrics.ownListener;
        metricsListener = await startMetricsListener(metricsHost, metricsPort, metrics.token);
      }
      return {
        port: taken,
        origin: `http://${reachableHost(host)}:${taken}`,
        ...(metricsListener ? { metricsPort: metricsListener.port } : {}),
      };
    },
    stop: async () => {
      stopping = true;
      await graphql?.apollo.stop();
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection whose request finishes after close() would otherwise hold it open until
        // the client lets go: close each one as soon as it is idle.
        const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        await closed;
        clearInterval(sweep);
      }
      // Last, so that a scrape during the drain is still answered.
      await metricsListener?.close();
    },
  };
}

/** The host to call a server on: its own address, or this machine's when it listens on every IPv4 one. */
const reachableHost = (host: string) => (host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

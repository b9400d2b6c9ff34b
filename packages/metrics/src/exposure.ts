import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsText, startProcessMetrics } from './registry.ts';

/** The path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** The variables of `commonEnv` that say where and how `/metrics` is served. */
export interface MetricsEnv {
  NODE_ENV: string;
  METRICS_TOKEN?: string | undefined;
  METRICS_HOST: string;
  METRICS_PORT?: number | undefined;
}

/** Where a process serves `/metrics`, as {@link metricsPlacement} decides. */
export interface MetricsPlacement {
  /** Served beside the process's other routes, on its HTTP port. */
  onMainPort: boolean;
  /** Served on a listener of its own (METRICS_HOST:METRICS_PORT). */
  ownListener?: { host: string; port: number };
  /** When set, only `Authorization: Bearer <token>` is answered. */
  token?: string;
  /** Said once at start: why `/metrics` is not served. */
  warning?: string;
}

/**
 * Where `/metrics` goes: on its own listener when METRICS_PORT is set, else on the process's HTTP port. A
 * public process (the gateway) in production keeps it off its public port unless METRICS_TOKEN guards it.
 */
export function metricsPlacement(env: MetricsEnv, options: { public: boolean }): MetricsPlacement {
  const token = env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {};
  if (env.METRICS_PORT !== undefined) {
    return { onMainPort: false, ownListener: { host: env.METRICS_HOST, port: env.METRICS_PORT }, ...token };
  }
  if (options.public && env.NODE_ENV === 'production' && !env.METRICS_TOKEN) {
    return {
      onMainPort: false,
      warning:
        '/metrics is not served on the public port in production without a token: set METRICS_TOKEN, or METRICS_PORT (with METRICS_HOST) for an internal listener',
    };
  }
  return { onMainPort: true, ...token };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True when `authorization` is `Bearer <token>`. Both sides are hashed first, so the comparison takes the
 * same time whatever the length or the first differing byte of what was sent.
 */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const sent = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(sent), digest(token)) && sent.length > 0;
}

/**
 * Answers `GET /metrics` (and HEAD) with the registry, after the token check when there is one: 401 with
 * `WWW-Authenticate: Bearer` without the right token. Starts the default process metrics.
 */
export function metricsHandler(token?: string): (req: IncomingMessage, res: ServerResponse) => void {
  startProcessMetrics();
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('Method not allowed.');
      return;
    }
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res
        .writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain; charset=utf-8' })
        .end('Unauthorized.');
      return;
    }
    metricsText().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Metrics could not be collected.');
      },
    );
  };
}

/** A listener that serves only `/metrics` (METRICS_PORT); `close()` stops it. */
export async function startMetricsListener(
  host: string,
  port: number,
  token?: string,
): Promise<{ port: number; close: () => Promise<void> }> {
  const handle = metricsHandler(token);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === METRICS_PATH) handle(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

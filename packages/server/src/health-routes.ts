import type { Express } from 'express';

/**
 * The named checks `/readyz` runs, each resolving `true` when its dependency is reachable; a function
 * when the set changes while the service runs (the gateway learns its subgraphs from the supergraph).
 */
export type Readiness = Record<string, () => Promise<boolean>> | (() => Record<string, () => Promise<boolean>>);

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (200 when every check passes, else 503; the
 * checks run at once and each one's answer is in the body; 503 at once while the process stops, so a
 * load balancer sends it nothing new), as every LetsTalk process serves them.
 */
export function healthRoutes(app: Express, service: string, readiness: Readiness, stopping: () => boolean): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/readyz', async (_req, res) => {
    if (stopping()) {
      res.status(503).json({ status: 'stopping', service });
      return;
    }
    const named = Object.entries(typeof readiness === 'function' ? readiness() : readiness);
    const checks = Object.fromEntries(
      await Promise.all(named.map(async ([name, check]) => [name, await check()] as const)),
    );
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service, checks });
  });
}

import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one registry: every LetsTalk metric is registered here (not in prom-client's global one,
 * which libraries may also write to), and `/metrics` serves it.
 */
export const registry = new Registry();

/** How long one scrape-time reading (a database query, a NATS request) may take before it is skipped. */
const COLLECT_TIMEOUT_MS = 2_000;

const collectors = new Set<() => Promise<void> | void>();
let processMetricsStarted = false;

/**
 * Adds prom-client's default process metrics (CPU, memory, event-loop lag, GC, handles), once per process.
 * They keep their standard names (`process_*`, `nodejs_*`), which ready-made dashboards expect.
 */
export function startProcessMetrics(): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: registry });
}

/**
 * Runs `collect` before each scrape, to set gauges that are cheaper to read when asked than to keep current
 * (a backlog in the database, a consumer's pending count in NATS). Returns what removes it.
 */
export function onScrape(collect: () => Promise<void> | void): () => void {
  collectors.add(collect);
  return () => collectors.delete(collect);
}

/**
 * The registry in Prometheus's text format, after every scrape-time reading has run (each given
 * COLLECT_TIMEOUT_MS; one that fails or is late leaves its gauges as they were).
 */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  await Promise.all(
    [...collectors].map((collect) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, COLLECT_TIMEOUT_MS)));
      const done = Promise.resolve()
        .then(collect)
        .catch(() => undefined);
      return Promise.race([done, late]).finally(() => clearTimeout(timer));
    }),
  );
  return { contentType: registry.contentType, body: await registry.metrics() };
}

import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * The process's one registry: every LetsTalk metric is registered here (not in prom-client's global one,
 * which libraries may also write to), and `/metrics` serves it.
 */
export const registry = new Registry();

/** How long one scrape-time reading (a database query, a NATS request) may take before a scrape goes without it. */
const COLLECT_TIMEOUT_MS = 2_000;

/** Scrape-time readings a scrape went without (see {@link metricsText}). */
const collectionFailures = new Counter({
  name: 'letstalk_metrics_collection_failures_total',
  help:
    'Scrape-time readings a scrape went without, leaving their gauges as they were: error (it failed), timeout ' +
    '(not done within 2 s), skipped (still running from an earlier scrape, so not started again).',
  labelNames: ['collector', 'reason'] as const,
  registers: [registry],
});

/** One scrape-time reading, and the run of it in flight (with the time it is given until) if any. */
interface Collector {
  name: string;
  collect: () => Promise<void> | void;
  running?: { done: Promise<boolean>; deadline: number };
}

const collectors = new Set<Collector>();
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
 * (a backlog in the database, a consumer's pending count in NATS). `name` is its `collector` label in
 * `letstalk_metrics_collection_failures_total` (a kind of reading, such as `outbox`: not one per instance).
 * Returns what removes it.
 */
export function onScrape(collect: () => Promise<void> | void, name = 'unnamed'): () => void {
  const collector: Collector = { name, collect };
  for (const reason of ['error', 'timeout', 'skipped']) collectionFailures.inc({ collector: name, reason }, 0);
  collectors.add(collector);
  return () => collectors.delete(collector);
}

/**
 * One scrape's use of a reading. A reading is never run twice at once: a scrape that finds it running
 * waits for that run while it is within its COLLECT_TIMEOUT_MS (two scrapes at once share it), and skips it
 * when it is past that (a query stuck behind a busy pool is not queued again at every scrape). A reading
 * that fails, is late or is skipped leaves its gauges as they were and is counted.
 */
async function read(collector: Collector): Promise<void> {
  let run = collector.running;
  if (run && performance.now() >= run.deadline) {
    collectionFailures.inc({ collector: collector.name, reason: 'skipped' });
    return;
  }
  if (!run) {
    const done = Promise.resolve()
      .then(collector.collect)
      .then(
        () => true,
        () => false,
      );
    const started: { done: Promise<boolean>; deadline: number } = {
      done,
      deadline: performance.now() + COLLECT_TIMEOUT_MS,
    };
    run = collector.running = started;
    void done.then(() => {
      if (collector.running === started) collector.running = undefined;
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, run.deadline - performance.now()));
  });
  const outcome = await Promise.race([run.done, late]).finally(() => clearTimeout(timer));
  if (outcome === true) return;
  collectionFailures.inc({ collector: collector.name, reason: outcome === 'late' ? 'timeout' : 'error' });
}

/**
 * The registry in Prometheus's text format, after every scrape-time reading has run (see {@link read}: each
 * given COLLECT_TIMEOUT_MS, none run twice at once).
 */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  await Promise.all([...collectors].map(read));
  return { contentType: registry.contentType, body: await registry.metrics() };
}

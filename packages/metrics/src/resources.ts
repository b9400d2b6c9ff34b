import { Gauge, Histogram } from 'prom-client';
import { registry } from './registry.ts';

/** The MySQL pool's connections, by state (read from mysql2's pool at scrape time). */
export const dbPoolConnections = new Gauge({
  name: 'letstalk_db_pool_connections',
  help: 'Connections of the MySQL pool, per database and state (in_use: lent out; idle: open and free).',
  labelNames: ['database', 'state'] as const,
  registers: [registry],
});

/** Requests waiting for a connection because every one is in use. */
export const dbPoolWaiting = new Gauge({
  name: 'letstalk_db_pool_waiting_requests',
  help: 'Queries waiting for a free connection of the MySQL pool, per database.',
  labelNames: ['database'] as const,
  registers: [registry],
});

/** The pool's connection limit. */
export const dbPoolMax = new Gauge({
  name: 'letstalk_db_pool_max_connections',
  help: 'The MySQL pool connection limit, per database.',
  labelNames: ['database'] as const,
  registers: [registry],
});

const JOB_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Image jobs of the media worker (one per uploaded image and attempt); `_count` counts them. */
export const imageJobDuration = new Histogram({
  name: 'letstalk_image_job_duration_seconds',
  help: 'Image jobs of the media worker, by outcome (ready, failed, error: thrown and retried or dead-lettered, skipped: nothing to do), with their duration.',
  labelNames: ['outcome'] as const,
  buckets: JOB_BUCKETS,
  registers: [registry],
});

/** Linked pages the preview worker fetched (one per link and attempt); `_count` counts them. */
export const previewFetchDuration = new Histogram({
  name: 'letstalk_preview_fetch_duration_seconds',
  help: 'Page fetches of the preview worker, by outcome (page, failed: no preview, retry: failed and retried later, error: unexpected), with their duration.',
  labelNames: ['outcome'] as const,
  buckets: JOB_BUCKETS,
  registers: [registry],
});

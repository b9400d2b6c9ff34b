import { fileURLToPath } from 'node:url';
import type { Logger } from '@letstalk/log';
import { AddressPolicy, createDnsResolver, SafeFetcher } from '@letstalk/safe-fetch';
import { startWorkerService } from '@letstalk/server';
import { tables } from '../data/tables.ts';
import type { PreviewWorkerEnv } from '../env.ts';
import { startPreviewWorker } from './preview-worker.ts';

/** Starts the preview worker process's parts; `stop()` finishes the pages in hand first. */
export function startPreviewWorkerService(
  env: PreviewWorkerEnv,
  log?: Logger,
  options: { retryDelayMs?: (deliveryCount: number) => number } = {},
) {
  return startWorkerService({
    name: 'preview-worker',
    env,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    database: env.PREVIEW_DATABASE,
    host: env.PREVIEW_WORKER_HOST,
    port: env.PREVIEW_WORKER_PORT,
    tables,
    ...(log ? { log } : {}),
    setup: async ({ db, nc, relay, log: workerLog }) =>
      startPreviewWorker({
        nc,
        db,
        relay,
        log: workerLog,
        fetcher: new SafeFetcher({
          policy: new AddressPolicy(env.PREVIEW_ALLOW_HOSTS),
          userAgent: env.PREVIEW_USER_AGENT,
          resolve: createDnsResolver(env.PREVIEW_DNS_SERVERS ? { servers: env.PREVIEW_DNS_SERVERS } : {}),
        }),
        ttl: { readyMs: env.PREVIEW_CACHE_TTL_SECONDS * 1000, failedMs: env.PREVIEW_FAILURE_TTL_SECONDS * 1000 },
        database: env.PREVIEW_DATABASE,
        ...options,
      }),
  });
}

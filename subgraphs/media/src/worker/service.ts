import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { stopConsumers } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { AddressPolicy, createDnsResolver, SafeFetcher } from '@letstalk/safe-fetch';
import { startWorkerService } from '@letstalk/server';
import { tables } from '../data/tables.ts';
import type { MediaWorkerEnv } from '../env.ts';
import { createStorage } from '../storage/create-storage.ts';
import { startCleaningOldOriginals } from './clean-old-originals.ts';
import { startDataExports } from './data-exports.ts';
import { startFileUsage } from './file-usage.ts';
import { startImageUsage } from './image-usage.ts';
import { startImageWorker } from './image-worker.ts';
import { startPreviewImages } from './preview-images.ts';

/** Starts the image worker process's parts; `stop()` finishes the images in hand first. */
export function startImageWorkerService(
  env: MediaWorkerEnv,
  log?: Logger,
  options: { retryDelayMs?: (deliveryCount: number) => number } = {},
) {
  // One libvips thread per image and no operation cache: memory stays flat however many images pass.
  sharp.concurrency(1);
  sharp.cache(false);
  const storage = createStorage(env);
  return startWorkerService({
    name: 'media-worker',
    env,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    database: env.MEDIA_DATABASE,
    host: env.MEDIA_WORKER_HOST,
    port: env.MEDIA_WORKER_PORT,
    tables,
    ...(log ? { log } : {}),
    setup: async ({ db, nc, relay, log: workerLog }) => {
      const worker = await startImageWorker({
        nc,
        db,
        storage,
        relay,
        log: workerLog,
        database: env.MEDIA_DATABASE,
        ...options,
      });
      const usage = await startImageUsage({ nc, db, storage, log: workerLog, database: env.MEDIA_DATABASE });
      const fileUsage = await startFileUsage({ nc, db, storage, log: workerLog, database: env.MEDIA_DATABASE });
      const cleaning = startCleaningOldOriginals(db, storage, workerLog);
      const dataExports = await startDataExports({
        nc,
        db,
        storage,
        log: workerLog,
        database: env.MEDIA_DATABASE,
        // Beside the local store (a volume), not in a small temporary directory: an archive can be gigabytes.
        workDir: join(env.MEDIA_DIR ?? join(env.DATA_DIR, 'media'), 'exporting'),
        ...options,
      });
      const previewImages = await startPreviewImages({
        nc,
        db,
        storage,
        relay,
        fetcher: new SafeFetcher({
          policy: new AddressPolicy(env.PREVIEW_ALLOW_HOSTS),
          userAgent: env.PREVIEW_USER_AGENT,
          resolve: createDnsResolver(env.PREVIEW_DNS_SERVERS ? { servers: env.PREVIEW_DNS_SERVERS } : {}),
        }),
        log: workerLog,
        database: env.MEDIA_DATABASE,
        ...options,
      });
      return {
        stop: async () => {
          await stopConsumers([worker, usage, fileUsage, previewImages, cleaning, dataExports]);
          storage.close?.();
        },
      };
    },
  });
}

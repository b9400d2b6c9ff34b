import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DATA_EXPORT_SOURCES,
  dataExportPart,
  durableName,
  startEventConsumer,
  stopConsumers,
  userUpdated,
  type EventConsumer,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import {
  claimAssembly,
  collectDataExports,
  deleteDataExportsOf,
  endDataExport,
  exportKey,
  exportProgress,
  findDataExport,
  recordExportPart,
} from '../data/export-repository.ts';
import type { MediaDb } from '../data/tables.ts';
import { DATA_EXPORT_TTL_MS } from '../limits.ts';
import type { Storage } from '../storage/storage.ts';
import { buildArchive } from './build-archive.ts';
import { collectPeriodically } from './image-usage.ts';

/**
 * How long a worker holds the building of an archive before another may take it over (it died). Longer than any
 * build: 5 GiB of uploads stream in minutes.
 */
const ASSEMBLY_LEASE_MS = 30 * 60 * 1000;

/**
 * Builds an archive once every source's parts are in: the first worker to claim it (claimAssembly) writes the zip
 * in `workDir`, stores it, and marks the export READY; a source that refused fails it. Anything else waits for
 * the next part. A build that fails gives the claim back and throws, so the part that completed the set is
 * delivered again and the build retried.
 */
async function settle(options: { db: MediaDb; storage: Storage; workDir: string; log: Logger }, exportId: string) {
  const { db, storage, log } = options;
  const progress = await exportProgress(db, exportId, DATA_EXPORT_SOURCES);
  if ('waiting' in progress) return;
  if ('refused' in progress) {
    await endDataExport(db, exportId, { failure: progress.refused });
    return;
  }
  const row = await findDataExport(db, exportId);
  if (!row || row.status !== 'PREPARING' || !(await claimAssembly(db, exportId, ASSEMBLY_LEASE_MS))) return;
  const dir = join(options.workDir, exportId);
  try {
    const archive = await buildArchive({ db, storage, exportId, userId: row.userId, attempts: progress.attempts, dir });
    await storage.putFile(exportKey(exportId), archive.path, 'application/zip');
    const ready = { bytes: archive.bytes, expiresAt: new Date(Date.now() + DATA_EXPORT_TTL_MS) };
    // Gone meanwhile (the account was deleted): so is the zip.
    if (!(await endDataExport(db, exportId, ready))) await storage.delete(exportKey(exportId));
    else log.info({ exportId, bytes: archive.bytes }, 'data export ready');
  } catch (error) {
    await claimAssembly(db, exportId, 0).catch(() => false);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The media worker's part of `exportMyData`: keeps the parts the user and message subgraphs send
 * (`media.export.part.<source>`), builds each archive once they are all in, deletes a deleted account's archives,
 * and, every hour, deletes expired archives and fails those a part never came for (DATA_EXPORT_TIMEOUT_MS).
 */
export async function startDataExports(options: {
  nc: Parameters<typeof startEventConsumer>[0]['nc'];
  db: MediaDb;
  storage: Storage;
  log: Logger;
  database: string;
  workDir: string;
  retryDelayMs?: (deliveryCount: number) => number;
}): Promise<EventConsumer> {
  const { db, storage } = options;
  const parts = await startEventConsumer({
    nc: options.nc,
    contract: dataExportPart,
    durable: durableName(options.database, 'export-parts'),
    log: options.log,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    // One at a time, in stream order: a source's parts arrive in order, so its last one completes its set; a
    // part delivered again after a failure may complete a set whose last part came first, so it settles too.
    concurrency: 1,
    prefetch: 8,
    handle: async (part, message) => {
      const row = await findDataExport(db, part.exportId);
      if (!row || row.status !== 'PREPARING') return;
      await recordExportPart(db, part);
      if (part.last || message.info.deliveryCount > 1) await settle(options, part.exportId);
    },
  });
  // A deleted account's archives go with it (`user.updated` with `deleted`).
  const owners = await startEventConsumer({
    nc: options.nc,
    contract: userUpdated,
    durable: durableName(options.database, 'export-owners'),
    log: options.log,
    handle: async (event) => {
      if (event.deleted) await deleteDataExportsOf(db, event.userId, (exportId) => storage.delete(exportKey(exportId)));
    },
  });
  const stopCollecting = collectPeriodically(options.log, 'data exports (expired or timed out)', () =>
    collectDataExports(db, (exportId) => storage.delete(exportKey(exportId))),
  );
  return {
    stop: async () => {
      stopCollecting();
      await stopConsumers([parts, owners]);
    },
  };
}

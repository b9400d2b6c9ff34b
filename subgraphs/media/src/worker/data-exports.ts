import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  DATA_EXPORT_SOURCES,
  dataExportPart,
  dataExportPartsComplete,
  durableName,
  requestDataExportBuild,
  startEventConsumer,
  stopConsumers,
  userUpdated,
  type EventConsumer,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import {
  collectDataExports,
  deleteDataExportsOf,
  endDataExport,
  exportKey,
  exportProgress,
  findDataExport,
  markAssembling,
  recordExportPart,
} from '../data/export-repository.ts';
import type { MediaDb } from '../data/tables.ts';
import { DATA_EXPORT_TTL_MS } from '../limits.ts';
import type { Storage } from '../storage/storage.ts';
import { buildArchive } from './build-archive.ts';
import { collectPeriodically } from './image-usage.ts';

/**
 * How long upkeep leaves an archive being built alone (it does not time it out), and after how long a build's
 * directory under `workDir` is taken for a dead worker's and deleted. Longer than any build: 5 GiB of uploads
 * stream in minutes.
 */
const BUILD_TIME_MS = 30 * 60 * 1000;

interface Options {
  db: MediaDb;
  storage: Storage;
  workDir: string;
  log: Logger;
}

/**
 * Builds an export's archive in a directory of its own (`<exportId>.<start time>` under `workDir`, deleted after),
 * stores it and marks the export READY. Nothing happens when the export is no longer PREPARING. A build that
 * throws is retried (its event is delivered again); a zip stored by a build that died is replaced. When the export
 * ended meanwhile (the account was deleted, or it timed out), the zip is deleted again.
 */
async function build({ db, storage, workDir, log }: Options, exportId: string): Promise<void> {
  const row = await findDataExport(db, exportId);
  const progress = await exportProgress(db, exportId, DATA_EXPORT_SOURCES);
  if (row?.status !== 'PREPARING' || !('attempts' in progress)) return;
  if (!(await markAssembling(db, exportId, new Date(Date.now() + BUILD_TIME_MS)))) return;
  const dir = join(workDir, `${exportId}.${Date.now()}`);
  try {
    const archive = await buildArchive({ db, storage, exportId, userId: row.userId, attempts: progress.attempts, dir });
    await storage.delete(exportKey(exportId));
    await storage.putFile(exportKey(exportId), archive.path, 'application/zip');
    const readyAt = new Date();
    const ready = { bytes: archive.bytes, readyAt, expiresAt: new Date(readyAt.getTime() + DATA_EXPORT_TTL_MS) };
    if (await endDataExport(db, exportId, ready)) {
      log.info({ exportId, bytes: archive.bytes }, 'data export ready');
    } else if ((await findDataExport(db, exportId))?.status !== 'READY') {
      await storage.delete(exportKey(exportId));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Deletes the build directories under `workDir` older than BUILD_TIME_MS: their worker died. */
async function sweepBuildDirectories(workDir: string): Promise<number> {
  const names = await readdir(workDir).catch(() => [] as string[]);
  const old = names.filter((name) => Number(name.split('.')[1]) < Date.now() - BUILD_TIME_MS);
  await Promise.all(old.map((name) => rm(join(workDir, name), { recursive: true, force: true })));
  return old.length;
}

/**
 * The media worker's part of `exportMyData`:
 * - keeps the parts the user and message subgraphs send (`media.export.part.<source>`, in any order, on any
 *   instance); after each, looks whether every source's set is whole, and then asks for the build
 *   (`media.export.parts-complete`, once per export) or, when a source refused, fails the export;
 * - builds archives, one at a time per instance (their own consumer, so a long build holds up no part);
 * - deletes a deleted account's archives (`user.updated` with `deleted`);
 * - hourly, deletes expired archives, fails those a part never came for (DATA_EXPORT_TIMEOUT_MS), and clears what
 *   dead builds left.
 */
export async function startDataExports(
  options: Options & {
    nc: NatsConnection;
    database: string;
    retryDelayMs?: (deliveryCount: number) => number;
  },
): Promise<EventConsumer> {
  const { nc, db, storage, log } = options;
  await mkdir(options.workDir, { recursive: true });
  const retry = options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {};
  const parts = await startEventConsumer({
    nc,
    contract: dataExportPart,
    durable: durableName(options.database, 'export-parts'),
    log,
    ...retry,
    handle: async (part) => {
      if ((await findDataExport(db, part.exportId))?.status !== 'PREPARING') return;
      await recordExportPart(db, part);
      const progress = await exportProgress(db, part.exportId, DATA_EXPORT_SOURCES);
      if ('refused' in progress) await endDataExport(db, part.exportId, { failure: progress.refused });
      else if ('attempts' in progress) await requestDataExportBuild(nc, part.exportId);
    },
  });
  const builds = await startEventConsumer({
    nc,
    contract: dataExportPartsComplete,
    durable: durableName(options.database, 'export-builds'),
    log,
    ...retry,
    concurrency: 1,
    prefetch: 1,
    handle: (event) => build(options, event.exportId),
  });
  const owners = await startEventConsumer({
    nc,
    contract: userUpdated,
    durable: durableName(options.database, 'export-owners'),
    log,
    handle: async (event) => {
      if (event.deleted) await deleteDataExportsOf(db, event.userId, (exportId) => storage.delete(exportKey(exportId)));
    },
  });
  const stopCollecting = collectPeriodically(log, 'data exports (expired, timed out or left over)', async () => {
    const swept = await sweepBuildDirectories(options.workDir);
    return swept + (await collectDataExports(db, (exportId) => storage.delete(exportKey(exportId))));
  });
  return {
    stop: async () => {
      stopCollecting();
      await stopConsumers([parts, builds, owners]);
    },
  };
}

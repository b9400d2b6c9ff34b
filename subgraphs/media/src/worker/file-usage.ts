import type { NatsConnection } from '@nats-io/transport-node';
import {
  durableName,
  messageCreated,
  MESSAGES_WITH_A_FILE,
  messageDeleted,
  startEventConsumer,
  stopConsumers,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { deleteFiles, markFileAttached, unattachedFilesBefore } from '../data/file-repository.ts';
import type { MediaDb } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { UNATTACHED_IMAGE_TTL_MS } from './image-usage.ts';

/** How often the worker looks for unused files. */
const FILE_GC_INTERVAL_MS = 60 * 60 * 1000;
/** Files deleted per round of a collection. */
const GC_BATCH = 100;

/**
 * Deletes every file uploaded more than {@link UNATTACHED_IMAGE_TTL_MS} ago that no message ever showed; returns
 * how many were deleted.
 */
export async function collectUnusedFiles(db: MediaDb, storage: Storage, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await unattachedFilesBefore(db, new Date(now - UNATTACHED_IMAGE_TTL_MS), GC_BATCH);
    await deleteFiles(
      db,
      storage,
      batch.map((row) => row.id),
    );
    deleted += batch.length;
    if (batch.length < GC_BATCH) return deleted;
  }
}

/**
 * Follows where files are used, as startImageUsage does for images: a message that shows one keeps it; once the
 * message subgraph says no message shows it any more (`message.deleted` with `releasedFileId`), it is deleted;
 * an upload never used is collected every {@link FILE_GC_INTERVAL_MS}. One consumer of each per media database.
 */
export async function startFileUsage(options: {
  nc: NatsConnection;
  db: MediaDb;
  storage: Storage;
  log: Logger;
  database: string;
}) {
  const { nc, db, storage, log } = options;
  const messages = await startEventConsumer({
    nc,
    contract: messageCreated,
    filter: MESSAGES_WITH_A_FILE,
    durable: durableName(options.database, 'usage-file-messages'),
    log,
    handle: async (event) => {
      if (event.fileId) await markFileAttached(db, event.fileId);
    },
  });
  const deletedMessages = await startEventConsumer({
    nc,
    contract: messageDeleted,
    durable: durableName(options.database, 'usage-deleted-files'),
    log,
    handle: async (event) => {
      if (event.releasedFileId) await deleteFiles(db, storage, [event.releasedFileId]);
    },
  });
  const collect = () =>
    collectUnusedFiles(db, storage).then(
      (deleted) => deleted > 0 && log.info({ deleted }, 'unused files deleted'),
      (error: unknown) => log.warn({ err: error }, 'collecting unused files failed'),
    );
  void collect();
  const timer = setInterval(() => void collect(), FILE_GC_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await stopConsumers([messages, deletedMessages]);
    },
  };
}

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
import { collectInBatches, collectPeriodically } from './image-usage.ts';

/** Deletes every file uploaded more than a day ago that no message ever showed; returns how many. */
export function collectUnusedFiles(db: MediaDb, storage: Storage, now = Date.now()): Promise<number> {
  return collectInBatches(
    (cutoff, limit) => unattachedFilesBefore(db, cutoff, limit),
    (ids) => deleteFiles(db, storage, ids),
    now,
  );
}

/**
 * Follows where files are used, as startImageUsage does for images: a message that shows one keeps it; once the
 * message subgraph says no message shows it any more (`message.deleted` with `releasedFileId`), it is deleted;
 * an upload never used is collected hourly (collectPeriodically). One consumer of each per media database.
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
  const stopCollecting = collectPeriodically(log, 'files', () => collectUnusedFiles(db, storage));
  return {
    stop: async () => {
      stopCollecting();
      await stopConsumers([messages, deletedMessages]);
    },
  };
}

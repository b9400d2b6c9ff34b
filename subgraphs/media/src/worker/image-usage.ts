import type { NatsConnection } from '@nats-io/transport-node';
import {
  chatPhotoChanged,
  durableName,
  messageCreated,
  MESSAGES_WITH_AN_IMAGE,
  messageDeleted,
  previewImageReleased,
  startEventConsumer,
  stopConsumers,
  userUpdated,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import type { MediaDb } from '../data/tables.ts';
import {
  deleteImages,
  deleteReleasedMessageImage,
  findImages,
  markAttached,
  unattachedBefore,
} from '../data/image-repository.ts';
import type { Storage } from '../storage/storage.ts';

/** An upload nobody used (in a message, as a picture) is deleted after this long. */
export const UNATTACHED_IMAGE_TTL_MS = 24 * 60 * 60 * 1000;
/** How often the worker looks for unused uploads. */
const IMAGE_GC_INTERVAL_MS = 60 * 60 * 1000;
/** Images deleted per round of a collection. */
const GC_BATCH = 100;

/**
 * Deletes, in batches of {@link GC_BATCH}, every upload `unattached` lists (those never used and created before a
 * cutoff, oldest first) with `remove`; returns how many were deleted.
 */
export async function collectInBatches(
  unattached: (cutoff: Date, limit: number) => Promise<{ id: string }[]>,
  remove: (ids: string[]) => Promise<void>,
  now = Date.now(),
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await unattached(new Date(now - UNATTACHED_IMAGE_TTL_MS), GC_BATCH);
    await remove(batch.map((row) => row.id));
    deleted += batch.length;
    if (batch.length < GC_BATCH) return deleted;
  }
}

/**
 * Runs `collect` now and every {@link IMAGE_GC_INTERVAL_MS}, logging what it deleted (`what`); returns what
 * stops it.
 */
export function collectPeriodically(log: Logger, what: string, collect: () => Promise<number>): () => void {
  const run = () =>
    collect().then(
      (deleted) => deleted > 0 && log.info({ deleted }, `unused ${what} deleted`),
      (error: unknown) => log.warn({ err: error }, `collecting unused ${what} failed`),
    );
  void run();
  const timer = setInterval(() => void run(), IMAGE_GC_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Deletes every image upload older than {@link UNATTACHED_IMAGE_TTL_MS} that was never used; returns how many. */
export function collectUnusedImages(db: MediaDb, storage: Storage, now = Date.now()): Promise<number> {
  return collectInBatches(
    (cutoff, limit) => unattachedBefore(db, cutoff, limit),
    (ids) => deleteImages(db, storage, ids),
    now,
  );
}

/**
 * Follows where images are used: a message that shows one, a profile picture or a group's photo keeps
 * it; a picture or photo replaced by another is deleted (its owner can no longer see or pick it), and so are
 * a message's image once every message showing it is deleted and a link preview's image the preview no
 * longer shows. Unused uploads are collected
 * every {@link IMAGE_GC_INTERVAL_MS}. One consumer of each per media database (see durableName).
 */
export async function startImageUsage(options: {
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
    filter: MESSAGES_WITH_AN_IMAGE,
    durable: durableName(options.database, 'usage-image-messages'),
    // Took every message.created (the subject had no tokens) to ignore most.
    formerly: durableName(options.database, 'usage-messages'),
    log,
    handle: async (event) => {
      if (event.imageId) await markAttached(db, event.imageId);
    },
  });
  const deletedMessages = await startEventConsumer({
    nc,
    contract: messageDeleted,
    durable: durableName(options.database, 'usage-deleted-messages'),
    formerly: `media-usage-deleted-messages-${options.database}`,
    log,
    // The message subgraph says when a deleted message was the last to show its image.
    handle: async (event) => {
      if (event.releasedImageId) await deleteReleasedMessageImage(db, storage, event.releasedImageId);
    },
  });
  const profiles = await startEventConsumer({
    nc,
    contract: userUpdated,
    durable: durableName(options.database, 'usage-avatars'),
    formerly: `media-usage-avatars-${options.database}`,
    log,
    handle: async (event) => {
      if (event.avatarImageId) await markAttached(db, event.avatarImageId);
      if (event.replacedAvatarImageId) await deleteImages(db, storage, [event.replacedAvatarImageId]);
    },
  });
  const chatPhotos = await startEventConsumer({
    nc,
    contract: chatPhotoChanged,
    durable: durableName(options.database, 'usage-chat-photos'),
    formerly: `media-usage-chat-photos-${options.database}`,
    log,
    handle: async (event) => {
      if (event.photoImageId) await markAttached(db, event.photoImageId);
      if (event.replacedPhotoImageId) await deleteImages(db, storage, [event.replacedPhotoImageId]);
    },
  });
  const previewImages = await startEventConsumer({
    nc,
    contract: previewImageReleased,
    durable: durableName(options.database, 'usage-preview-images'),
    formerly: `media-usage-preview-images-${options.database}`,
    log,
    handle: async (event) => {
      // Only an image the server fetched for a preview: never anyone's upload, whatever an event says.
      const [image] = await findImages(db, [event.imageId]);
      if (image?.purpose === 'LINK_PREVIEW') await deleteImages(db, storage, [image.id]);
    },
  });
  const stopCollecting = collectPeriodically(log, 'uploads', () => collectUnusedImages(db, storage));
  return {
    stop: async () => {
      stopCollecting();
      await stopConsumers([messages, deletedMessages, profiles, chatPhotos, previewImages]);
    },
  };
}

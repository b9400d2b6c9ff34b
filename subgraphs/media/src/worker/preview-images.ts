import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  durableName,
  enqueueEvent,
  givesUpOn,
  mediaImageProcessed,
  previewImageRequested,
  SERVER_OWNER_ID,
  startEventConsumer,
  type OutboxRelay,
  writeWithEvents,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { FETCH_ATTEMPTS, FetchError, type SafeFetcher } from '@letstalk/safe-fetch';
import type { MediaDb } from '../data/tables.ts';
import { createImage } from '../data/image-repository.ts';
import { images } from '../data/tables.ts';
import { MAX_PREVIEW_IMAGE_BYTES } from '../limits.ts';
import type { Storage } from '../storage/storage.ts';
import { inspectImage } from '../upload/receive-image.ts';

/** Images fetched at once by one worker process. */
const PREVIEW_IMAGE_CONCURRENCY = 4;

/** Says the image will never be: the preview shows without it. */
async function announceFailure(db: MediaDb, imageId: string, reason: string) {
  await db.transaction((tx) =>
    enqueueEvent(tx, mediaImageProcessed, {
      imageId,
      ownerId: SERVER_OWNER_ID,
      status: 'FAILED',
      failureReason: reason.slice(0, 200),
    }),
  );
}

/**
 * Link previews' images: a durable consumer of `preview.image.requested` that fetches a page's `og:image`
 * through the safe fetcher (same address policy as pages; images only, at most
 * {@link MAX_PREVIEW_IMAGE_BYTES}), checks it like an upload (sniffed format, pixel limit) and stores it
 * as a LINK_PREVIEW image owned by the server, which the image worker then processes like any upload.
 * An image that cannot be used is announced FAILED at once; a server error is retried with back-off.
 */
export async function startPreviewImages(options: {
  nc: NatsConnection;
  db: MediaDb;
  storage: Storage;
  relay: OutboxRelay;
  fetcher: SafeFetcher;
  log: Logger;
  /** The media database: the consumer is named after it (see durableName). */
  database: string;
  retryDelayMs?: (deliveryCount: number) => number;
}) {
  const { db, storage, relay, fetcher } = options;

  async function fetchAndStore(event: { imageId: string; url: string }, lastAttempt: boolean) {
    const [existing] = await db.select({ id: images.id }).from(images).where(eq(images.id, event.imageId));
    if (existing) return;
    let bytes: Buffer;
    try {
      const fetched = await fetcher.fetch(event.url, {
        maxBytes: MAX_PREVIEW_IMAGE_BYTES,
        overflow: 'fail',
        accepts: (type) => type.startsWith('image/'),
        accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9',
      });
      bytes = fetched.body;
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      if (error.retryable && !lastAttempt) throw error;
      return announceFailure(db, event.imageId, `The image could not be fetched: ${error.message}`);
    }
    let format: string;
    try {
      format = await inspectImage(bytes);
    } catch (error) {
      return announceFailure(db, event.imageId, (error as Error).message);
    }
    const key = createHash('sha256').update(bytes).digest('hex');
    await storage.putBytes(key, bytes, `image/${format}`);
    // In use from the start: a preview shows it (never collected as an unused upload).
    await createImage(db, {
      id: event.imageId,
      ownerId: SERVER_OWNER_ID,
      purpose: 'LINK_PREVIEW',
      originalKey: key,
      format,
      bytes: bytes.length,
      attached: true,
    });
  }

  return startEventConsumer({
    nc: options.nc,
    contract: previewImageRequested,
    durable: durableName(options.database, 'preview-images'),
    formerly: `media-preview-images-${options.database}`,
    log: options.log,
    concurrency: PREVIEW_IMAGE_CONCURRENCY,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    handle: (event, message) =>
      writeWithEvents(relay, async () => {
        try {
          await fetchAndStore(event, message.info.deliveryCount >= FETCH_ATTEMPTS);
        } catch (error) {
          // Given up on: the preview must not wait for this image for ever.
          if (givesUpOn(error, message)) await announceFailure(db, event.imageId, 'The image could not be stored.');
          throw error;
        }
      }),
  });
}

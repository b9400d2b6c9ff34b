import { and, eq } from 'drizzle-orm';
import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  durableName,
  enqueueEvent,
  givesUpOn,
  mediaImageProcessed,
  mediaImageUploaded,
  startEventConsumer,
  writeWithEvents,
  type EventPayload,
  type OutboxRelay,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { imageJobDuration } from '@letstalk/metrics';
import type { MediaDb } from '../data/tables.ts';
import { images } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { makeVariants, UnreadableImageError } from './make-variants.ts';

/** Images one worker process makes at once (sharp itself runs one thread per image: see index.ts). */
export const IMAGE_WORKER_CONCURRENCY = 2;

/**
 * Where a variant is stored: beside the upload's key. `original` is the cleaned upload (what `ORIGINAL`
 * serves); the upload's own key holds what was received, until the worker has cleaned it.
 */
export const variantKey = (originalKey: string, variant: 'original' | 'thumbnail' | 'display') =>
  `${originalKey}.${variant}`;

/** The whole object under `key`, or undefined when there is none. */
export async function readAll(storage: Storage, key: string): Promise<Buffer | undefined> {
  const stream = await storage.read(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Moves a PROCESSING image to READY or FAILED and, in the same transaction, records the event that says
 * so. Only the first of several attempts (a redelivery after a crash) changes the row, so the change is
 * announced once.
 */
async function finish(
  db: MediaDb,
  imageId: string,
  change:
    { status: 'READY'; width: number; height: number; format: string } | { status: 'FAILED'; failureReason: string },
) {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(images).where(eq(images.id, imageId)).for('update');
    if (!row || row.status !== 'PROCESSING') return;
    const failureReason = change.status === 'FAILED' ? change.failureReason.slice(0, 200) : null;
    await tx
      .update(images)
      .set(
        change.status === 'READY'
          ? { status: 'READY', width: change.width, height: change.height, format: change.format }
          : { status: 'FAILED', failureReason },
      )
      .where(and(eq(images.id, imageId), eq(images.status, 'PROCESSING')));
    await enqueueEvent(tx, mediaImageProcessed, {
      imageId,
      ownerId: row.ownerId,
      status: change.status,
      failureReason,
    });
  });
}

/**
 * The image worker: a durable consumer of `media.image.uploaded` that writes each image's cleaned original
 * (upright, no metadata but the colour profile), thumbnail and display size (WebP) into the storage,
 * deletes the upload as received, then marks the image READY (or FAILED with the reason). Safe to run
 * twice on one image: the variants are content-addressed and only the first finish counts.
 */
export async function startImageWorker(options: {
  nc: NatsConnection;
  db: MediaDb;
  storage: Storage;
  relay: OutboxRelay;
  log: Logger;
  /** The media database: the consumer is named after it (see durableName). */
  database: string;
  concurrency?: number;
  retryDelayMs?: (deliveryCount: number) => number;
}) {
  const { db, storage, relay, log } = options;
  /** Makes an uploaded image's variants; `skipped` when there was nothing to do (not PROCESSING any more). */
  async function processImage(
    event: EventPayload<typeof mediaImageUploaded>,
    message: JsMsg,
  ): Promise<'ready' | 'failed' | 'skipped'> {
    const [row] = await db.select().from(images).where(eq(images.id, event.imageId));
    if (!row || row.status !== 'PROCESSING') return 'skipped';
    try {
      // The same bytes uploaded before were cleaned already, and their upload deleted: the cleaned copy
      // (the same picture, upright) makes the same variants.
      const received =
        (await readAll(storage, event.originalKey)) ??
        (await readAll(storage, variantKey(event.originalKey, 'original')));
      if (!received) {
        await finish(db, row.id, { status: 'FAILED', failureReason: 'The uploaded file is gone.' });
        return 'failed';
      } else {
        const variants = await makeVariants(received);
        await storage.putBytes(
          variantKey(event.originalKey, 'original'),
          variants.original.bytes,
          `image/${variants.original.format}`,
        );
        await storage.putBytes(variantKey(event.originalKey, 'thumbnail'), variants.thumbnail.bytes, 'image/webp');
        await storage.putBytes(variantKey(event.originalKey, 'display'), variants.display.bytes, 'image/webp');
        // What was received (location and all) is kept no longer than it takes to clean it; before READY,
        // so a READY image never has it, and a crash here leaves the cleaned copy to start again from.
        await storage.delete(event.originalKey);
        await finish(db, row.id, {
          status: 'READY',
          width: variants.width,
          height: variants.height,
          format: variants.original.format,
        });
        return 'ready';
      }
    } catch (error) {
      if (error instanceof UnreadableImageError) {
        await finish(db, row.id, { status: 'FAILED', failureReason: error.message });
        return 'failed';
      } else {
        // An attempt the consumer gives up after leaves the image FAILED (and the event dead-lettered), never
        // PROCESSING for ever; a transient failure (the storage or the database away) is retried until it passes.
        if (givesUpOn(error, message)) {
          await finish(db, row.id, { status: 'FAILED', failureReason: 'The image could not be processed.' });
        }
        throw error;
      }
    }
  }

  /**
   * One job, timed by outcome (`error`: it threw, to be retried or dead-lettered), and its line in the log:
   * the image, what became of it, the attempt, how long it took.
   */
  async function timedJob(event: EventPayload<typeof mediaImageUploaded>, message: JsMsg) {
    const started = performance.now();
    let outcome = 'error';
    try {
      return (outcome = await processImage(event, message));
    } finally {
      const seconds = (performance.now() - started) / 1000;
      imageJobDuration.observe({ outcome }, seconds);
      const job = { imageId: event.imageId, attempt: message.info.deliveryCount, outcome };
      const line = { ...job, durationMs: Math.round(seconds * 1000) };
      // Nothing done (a redelivery of a finished image) is no news: at debug, or a backlog floods the log.
      if (outcome === 'error') log.warn(line, 'image job');
      else if (outcome === 'skipped') log.debug(line, 'image job');
      else log.info(line, 'image job');
    }
  }

  return startEventConsumer({
    nc: options.nc,
    contract: mediaImageUploaded,
    durable: durableName(options.database, 'image-worker'),
    formerly: `media-image-worker-${options.database}`,
    log,
    concurrency: options.concurrency ?? IMAGE_WORKER_CONCURRENCY,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    handle: (event, message) =>
      writeWithEvents(
        relay,
        () => timedJob(event, message),
        (outcome) => outcome !== 'skipped',
      ),
  });
}

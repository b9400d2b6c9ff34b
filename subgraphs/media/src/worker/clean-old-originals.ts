import { and, eq } from 'drizzle-orm';
import type { Logger } from '@letstalk/log';
import type { MediaDb } from '../data/tables.ts';
import { images } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { readAll, variantKey } from './image-worker.ts';
import { makeVariants, UnreadableImageError } from './make-variants.ts';

/** Images looked at per round of {@link cleanOldOriginals}. */
const CLEANING_BATCH = 20;
/** How long the worker waits before trying again when cleaning failed (the storage down, say). */
const CLEANING_RETRY_MS = 60_000;

/**
 * Cleans the originals of images made READY by a release that served uploads as received (location and
 * all): each upload still stored is re-written like a new one's (upright, colour profile, no metadata)
 * under `<key>.original`, the image takes the cleaned format, and the upload is deleted. An image whose
 * cleaned copy exists, or whose upload is gone, is only marked. Safe to run on several workers at once
 * (every step is idempotent); returns how many images it marked.
 */
export async function cleanOldOriginals(
  db: MediaDb,
  storage: Storage,
  log: Logger,
  stopping: () => boolean = () => false,
): Promise<number> {
  let marked = 0;
  while (!stopping()) {
    const batch = await db
      .select({ originalKey: images.originalKey })
      .from(images)
      .where(eq(images.originalCleaned, false))
      .limit(CLEANING_BATCH);
    if (batch.length === 0) break;
    for (const key of new Set(batch.map((row) => row.originalKey))) {
      const cleanedFormat = await cleanOne(storage, key, log);
      const [result] = await db
        .update(images)
        .set(cleanedFormat ? { originalCleaned: true, format: cleanedFormat } : { originalCleaned: true })
        .where(and(eq(images.originalKey, key), eq(images.originalCleaned, false)));
      marked += result.affectedRows;
    }
  }
  return marked;
}

/** The format of the cleaned copy it wrote, or undefined when there was nothing to clean. */
async function cleanOne(storage: Storage, key: string, log: Logger): Promise<string | undefined> {
  if (await storage.head(variantKey(key, 'original'))) {
    await storage.delete(key);
    return undefined;
  }
  const received = await readAll(storage, key);
  if (!received) return undefined;
  try {
    const { original } = await makeVariants(received);
    await storage.putBytes(variantKey(key, 'original'), original.bytes, `image/${original.format}`);
    await storage.delete(key);
    return original.format;
  } catch (error) {
    if (!(error instanceof UnreadableImageError)) throw error;
    // Unreadable now although it was READY once: nothing may be served from it, so it goes.
    log.warn({ key, err: error }, 'an old upload could not be cleaned; its file is deleted');
    await storage.delete(key);
    return undefined;
  }
}

/** Runs {@link cleanOldOriginals} in the background until it is done, trying again after a failure. */
export function startCleaningOldOriginals(db: MediaDb, storage: Storage, log: Logger): { stop: () => Promise<void> } {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = cleanOldOriginals(db, storage, log, () => stopping).then(
      (marked) => {
        if (marked > 0) log.info({ marked }, 'cleaned the originals of images from an older release');
      },
      (error: unknown) => {
        log.warn({ err: error }, 'cleaning old originals failed; trying again later');
        if (!stopping) timer = setTimeout(run, CLEANING_RETRY_MS);
      },
    );
  };
  run();
  return {
    stop: async () => {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}

import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import { createLogger } from '@letstalk/log';
import { jpegWithLocation } from '@letstalk/testing';
import type { MediaDb } from '../src/data/tables.ts';
import { images } from '../src/data/tables.ts';
import type { Storage } from '../src/storage/storage.ts';
import { cleanOldOriginals } from '../src/worker/clean-old-originals.ts';
import { readAll, variantKey } from '../src/worker/image-worker.ts';
import { startMediaHarness } from './harness.ts';

describe('images from a release that served uploads as received', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let db: MediaDb;
  let storage: Storage;
  const log = createLogger({ service: 'test', level: 'silent', pretty: false });

  beforeAll(async () => {
    // A database of its own: no image worker of another suite cleans (or marks) these rows first.
    media = await startMediaHarness({ MEDIA_DATABASE: 'letstalk_media_cleaning_test' });
    ({ db, storage } = media);
  });
  afterAll(async () => {
    await media.close();
  });

  /** A READY image as the older release left it: the upload stored as received, not marked cleaned. */
  async function oldImage(key: string) {
    const id = randomUUID();
    await db.insert(images).values({
      id,
      ownerId: randomUUID(),
      purpose: 'MESSAGE',
      status: 'READY',
      originalKey: key,
      format: 'jpeg',
      bytes: 1,
      width: 1,
      height: 1,
      originalCleaned: false,
    });
    return id;
  }

  it('get a cleaned original once (upright, profile kept, no EXIF/XMP/IPTC), lose the upload as received, and are marked', async () => {
    const upload = await jpegWithLocation();
    const key = createHash('sha256').update(upload).digest('hex');
    await storage.putBytes(key, upload, 'image/jpeg');
    // Two uploads of the same file share it; and one whose file is gone is only marked.
    const [first, second, gone] = [
      await oldImage(key),
      await oldImage(key),
      await oldImage(createHash('sha256').update(randomUUID()).digest('hex')),
    ];

    expect(await cleanOldOriginals(db, storage, log)).toBe(3);
    const cleaned = await readAll(storage, variantKey(key, 'original'));
    expect(cleaned).toBeDefined();
    const metadata = await sharp(cleaned).metadata();
    expect({
      exif: metadata.exif,
      xmp: metadata.xmp,
      iptc: metadata.iptc,
      orientation: metadata.orientation,
      icc: metadata.icc !== undefined,
    }).toEqual({
      exif: undefined,
      xmp: undefined,
      iptc: undefined,
      orientation: undefined,
      icc: true,
    });
    expect(await storage.head(key)).toBeUndefined();
    const rows = await db
      .select()
      .from(images)
      .where(inArray(images.id, [first, second, gone]));
    expect(rows.map((row) => row.originalCleaned)).toEqual([true, true, true]);
    expect(rows.find((row) => row.id === first)?.format).toBe('jpeg');

    // Done once: nothing is left for the next start.
    expect(await cleanOldOriginals(db, storage, log)).toBe(0);
    await db.delete(images).where(eq(images.originalKey, key));
  });
});

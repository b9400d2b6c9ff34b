import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createDatabase, createPool } from '@letstalk/db';
import { noiseJpeg } from '@letstalk/testing';
import type { MediaDb } from '../src/data/tables.ts';
import { deleteImages } from '../src/data/image-repository.ts';
import { images, tables } from '../src/data/tables.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { startMediaHarness } from './harness.ts';

type Upload = { uploadImage: { id: string } };
const KIB = 1024;

/** A JPEG of exactly `bytes` bytes (a small picture, padded after its end), different at every call. */
async function jpegOf(bytes: number): Promise<Buffer> {
  const picture = await noiseJpeg(16);
  return Buffer.concat([picture, Buffer.alloc(bytes - picture.length)]);
}

describe('upload quotas, per person, in bytes', () => {
  /** Keeps 64 KiB per person; the day is no limit. */
  let stored: Awaited<ReturnType<typeof startMediaHarness>>;
  /** 50 KiB a day per person; what is stored is no limit. */
  let daily: Awaited<ReturnType<typeof startMediaHarness>>;
  let pool: ReturnType<typeof createPool>;
  let db: MediaDb;

  beforeAll(async () => {
    stored = await startMediaHarness({
      MEDIA_UPLOAD_BYTES_PER_USER_TOTAL: String(64 * KIB),
      MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY: String(1024 * 1024 * KIB),
    });
    daily = await startMediaHarness({
      MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY: String(50 * KIB),
      MEDIA_UPLOAD_BYTES_PER_USER_TOTAL: String(1024 * 1024 * KIB),
    });
    pool = createPool(stored.env.DATABASE_URL, stored.env.MEDIA_DATABASE);
    db = createDatabase(pool, tables);
  });
  afterAll(async () => {
    await pool.end();
    await Promise.all([stored?.close(), daily?.close()]);
  });

  const rowsOf = (ownerId: string) => db.select().from(images).where(eq(images.ownerId, ownerId));

  it('past the bytes a person may keep, an upload is PAYLOAD_TOO_LARGE and never stored; deleted images stop counting', async () => {
    const alice = await stored.person();
    const upload = (bytes: Buffer) => stored.upload<Upload>(alice.token, [{ bytes, name: 'a.jpg' }]);
    for (let index = 0; index < 3; index += 1)
      expect((await upload(await jpegOf(20 * KIB))).data?.uploadImage.id).toBeDefined();

    const tooMuch = await jpegOf(20 * KIB);
    const refused = await upload(tooMuch);
    expect(refused.code).toBe('PAYLOAD_TOO_LARGE');
    expect(refused.errors?.[0]?.message).toBe(
      'Your uploads take 60 KiB of the 64 KiB you may keep. Delete messages with images or files you no longer need to upload more.',
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ limitBytes: 64 * KIB, storedBytes: 60 * KIB });
    expect(JSON.stringify(refused)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(await rowsOf(alice.id)).toHaveLength(3);
    const storage = new LocalStorage(stored.mediaDir);
    expect(await storage.head(createHash('sha256').update(tooMuch).digest('hex'))).toBeUndefined();
    // What is left still fits.
    expect((await upload(await jpegOf(4 * KIB))).data?.uploadImage.id).toBeDefined();

    const [first] = await rowsOf(alice.id);
    await deleteImages(db, storage, [first!.id]);
    expect((await upload(tooMuch)).data?.uploadImage.id).toBeDefined();
  });

  it('uploads of one person at once are counted one after the other', async () => {
    const bob = await stored.person();
    const files = await Promise.all(Array.from({ length: 6 }, () => jpegOf(20 * KIB)));
    const results = await Promise.all(
      files.map((bytes) => stored.upload<Upload>(bob.token, [{ bytes, name: 'b.jpg' }])),
    );
    expect(results.filter((result) => result.data?.uploadImage).length).toBe(3);
    expect(results.filter((result) => result.code === 'PAYLOAD_TOO_LARGE').length).toBe(3);
    expect((await rowsOf(bob.id)).reduce((sum, row) => sum + row.bytes, 0)).toBe(60 * KIB);
  });

  it('past the bytes a person may upload in a day, an upload is RATE_LIMITED; a refused one does not count, a deleted one still does', async () => {
    const carol = await daily.person();
    const upload = (bytes: Buffer) => daily.upload<Upload>(carol.token, [{ bytes, name: 'c.jpg' }]);
    const first = await upload(await jpegOf(20 * KIB));
    expect((await upload(await jpegOf(20 * KIB))).data?.uploadImage.id).toBeDefined();

    const overTheDay = await jpegOf(20 * KIB);
    const refused = await upload(overTheDay);
    expect(refused.code).toBe('RATE_LIMITED');
    expect(
      await new LocalStorage(daily.mediaDir).head(createHash('sha256').update(overTheDay).digest('hex')),
    ).toBeUndefined();
    expect(refused.errors?.[0]?.message).toMatch(
      /^You may upload 50 KiB a day\. This file \(20 KiB\) is more than what is left of it: try again in about 24 h\.$/,
    );
    const retryAfter = refused.errors?.[0]?.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(23 * 3600);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(await rowsOf(carol.id)).toHaveLength(2);

    // The 10 KiB left are still there, and then nothing is: refused before the file is read.
    expect((await upload(await jpegOf(10 * KIB))).data?.uploadImage.id).toBeDefined();
    const usedUp = await upload(await jpegOf(2 * KIB));
    expect([usedUp.code, usedUp.errors?.[0]?.message]).toEqual([
      'RATE_LIMITED',
      expect.stringMatching(/You have used it up/),
    ]);

    // Deleting what was uploaded frees stored bytes, not the day's.
    await deleteImages(db, new LocalStorage(daily.mediaDir), [first.data!.uploadImage.id]);
    expect((await upload(await jpegOf(2 * KIB))).code).toBe('RATE_LIMITED');
  });
});

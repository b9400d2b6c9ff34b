import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createDatabase, createPool } from '@letstalk/db';
import { MAX_UPLOAD_BYTES, UPLOADS_PER_USER_PER_MINUTE } from '../src/limits.ts';
import { images, outbox } from '../src/data/tables.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { startMediaHarness } from './harness.ts';
import {
  animatedGif,
  jpegWithOrientation,
  noiseJpeg,
  pngBomb,
  pngWithAlpha,
  svg,
  truncatedJpeg,
} from '@letstalk/testing';

type Upload = { uploadImage: { id: string; status: string } };

describe('uploading images to the media subgraph', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let db: ReturnType<typeof createDatabase<{ images: typeof images; outbox: typeof outbox }>>;
  let pool: ReturnType<typeof createPool>;

  beforeAll(async () => {
    media = await startMediaHarness();
    pool = createPool(media.env.DATABASE_URL, media.env.MEDIA_DATABASE);
    db = createDatabase(pool, { images, outbox });
  });
  afterAll(async () => {
    await pool.end();
    await media.close();
  });

  const rowOf = async (id: string) => (await db.select().from(images).where(eq(images.id, id)))[0];

  it('takes JPEG, PNG and GIF, told from their bytes, as PROCESSING, owned by the uploader, and announces them', async () => {
    const alice = await media.person();
    for (const [bytes, format, name] of [
      [await jpegWithOrientation(), 'jpeg', 'photo.jpg'],
      [await pngWithAlpha(), 'png', 'misnamed.jpg'],
      [await animatedGif(), 'gif', 'anim.gif'],
      [await truncatedJpeg(), 'jpeg', 'cut.jpg'],
    ] as const) {
      const result = await media.upload<Upload>(alice.token, [{ bytes, name, type: 'text/plain' }]);
      expect(result.errors).toBeUndefined();
      expect(result.data?.uploadImage.status).toBe('PROCESSING');
      const row = await rowOf(result.data!.uploadImage.id);
      expect(row).toMatchObject({
        ownerId: alice.id,
        purpose: 'MESSAGE',
        format,
        bytes: bytes.length,
        attachedAt: null,
      });
      expect(row?.originalKey).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    // The relay publishes each upload's event to JetStream (its outbox row is marked published).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const pending = await db.select().from(outbox).where(eq(outbox.subject, 'media.image.uploaded'));
      if (pending.length > 0 && pending.every((row) => row.publishedAt !== null)) break;
      if (Date.now() > deadline) throw new Error('the uploads were never published');
      await new Promise((wait) => setTimeout(wait, 100));
    }
  });

  it('stores the same file once however often it is uploaded', async () => {
    const [alice, bob] = [await media.person(), await media.person()];
    const bytes = await noiseJpeg(64);
    const first = await media.upload<Upload>(alice.token, [{ bytes, name: 'a.jpg' }]);
    const second = await media.upload<Upload>(bob.token, [{ bytes, name: 'b.jpg' }]);
    expect(first.data?.uploadImage.id).not.toBe(second.data?.uploadImage.id);
    const [one, two] = [await rowOf(first.data!.uploadImage.id), await rowOf(second.data!.uploadImage.id)];
    expect(one?.originalKey).toBe(two?.originalKey);
    const storage = new LocalStorage(media.mediaDir);
    expect((await storage.head(one!.originalKey))?.size).toBe(bytes.length);
  });

  it('refuses what is not an accepted image, too many pixels, too many bytes, more than one file', async () => {
    const mallory = await media.person();
    const svgAsPng = await media.upload(mallory.token, [{ bytes: svg(), name: 'image.png', type: 'image/png' }]);
    expect(svgAsPng.code).toBe('BAD_USER_INPUT');
    const text = await media.upload(mallory.token, [{ bytes: Buffer.from('hello'), name: 'hello.jpg' }]);
    expect(text.code).toBe('BAD_USER_INPUT');
    const tiff = await media.upload(mallory.token, [
      {
        bytes: await (
          await import('sharp')
        )
          .default({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
          .tiff()
          .toBuffer(),
        name: 'x.tif',
      },
    ]);
    expect(tiff.code).toBe('BAD_USER_INPUT');

    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(100_000);
    const bombed = await media.upload(mallory.token, [{ bytes: bomb, name: 'bomb.png' }]);
    expect(bombed.code).toBe('PAYLOAD_TOO_LARGE');
    expect(bombed.errors?.[0]?.message).toMatch(/megapixels/);

    const oversized = await media.upload(mallory.token, [
      { bytes: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0xff), name: 'big.jpg' },
    ]);
    expect(oversized.code).toBe('PAYLOAD_TOO_LARGE');
    const two = await media.upload(mallory.token, [
      { bytes: await pngWithAlpha(), name: 'a.png' },
      { bytes: await pngWithAlpha(), name: 'b.png' },
    ]);
    expect([two.status, two.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const crossSite = await media.upload(mallory.token, [{ bytes: await pngWithAlpha(), name: 'a.png' }], {
      headers: { 'apollo-require-preflight': '' },
    });
    expect(crossSite.status).toBe(400);
    expect(await db.select().from(images).where(eq(images.ownerId, mallory.id))).toEqual([]);
    expect(JSON.stringify([svgAsPng, text, tiff, bombed, oversized, two])).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('asks for a signed-in uploader and limits uploads per person', async () => {
    const anonymous = await media.upload(undefined, [{ bytes: await pngWithAlpha(), name: 'a.png' }]);
    expect(anonymous.code).toBe('UNAUTHENTICATED');
    const eager = await media.person();
    const bytes = await pngWithAlpha(8, 8);
    const results = [];
    for (let index = 0; index <= UPLOADS_PER_USER_PER_MINUTE; index += 1)
      results.push(await media.upload(eager.token, [{ bytes, name: 'a.png' }]));
    expect(results.slice(0, UPLOADS_PER_USER_PER_MINUTE).every((result) => result.data?.uploadImage)).toBe(true);
    expect(results.at(-1)?.code).toBe('RATE_LIMITED');
  });
});

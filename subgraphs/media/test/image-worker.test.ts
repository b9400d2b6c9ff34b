import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import sharp from 'sharp';
import { createLogger } from '@letstalk/log';
import {
  animatedGif,
  jpegWithLocation,
  jpegWithOrientation,
  noiseJpeg,
  pngWithAlpha,
  truncatedJpeg,
  inheritedEnvironment,
} from '@letstalk/testing';
import { images, outbox } from '../src/data/tables.ts';
import { variantKey } from '../src/worker/image-worker.ts';
import { DISPLAY_SIZE, THUMBNAIL_SIZE } from '../src/worker/make-variants.ts';
import { startImageWorkerService } from '../src/worker/service.ts';
import type { Storage } from '../src/storage/storage.ts';
import type { MediaDb } from '../src/data/tables.ts';
import { startMediaHarness } from './harness.ts';

type Upload = { uploadImage: { id: string; status: string } };
const WAIT_MS = 20_000;

describe('the image worker', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let db: MediaDb;
  let storage: Storage;

  beforeAll(async () => {
    media = await startMediaHarness();
    ({ db, storage } = media);
  });
  afterAll(async () => {
    await media.close();
  });

  const upload = async (token: string, bytes: Buffer, name: string) => {
    const result = await media.upload<Upload>(token, [{ bytes, name }]);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.uploadImage.id;
  };
  const rowOf = async (id: string) => (await db.select().from(images).where(eq(images.id, id)))[0]!;
  async function untilDone(ids: string[]) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const rows = await Promise.all(ids.map(rowOf));
      if (rows.every((row) => row.status !== 'PROCESSING')) return rows;
      if (Date.now() > deadline)
        throw new Error(
          `still processing: ${JSON.stringify(rows.filter((row) => row.status === 'PROCESSING').map((row) => row.id))}`,
        );
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }
  const readVariant = async (originalKey: string, variant: 'original' | 'thumbnail' | 'display') => {
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.read(variantKey(originalKey, variant)))!) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  /** How many `media.image.processed` events the outbox holds for an image. */
  const announcements = async (id: string) =>
    (
      await db
        .select()
        .from(outbox)
        .where(like(outbox.payload, `%"imageId":"${id}"%`))
    ).filter((row) => row.subject === 'media.image.processed').length;

  it('makes upright WebP variants without metadata, keeps animation, never enlarges; a broken image FAILS with a reason', async () => {
    const worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
    );
    try {
      const alice = await media.person();
      const ids = {
        rotated: await upload(alice.token, await jpegWithOrientation(), 'rotated.jpg'),
        alpha: await upload(alice.token, await pngWithAlpha(), 'alpha.png'),
        animated: await upload(alice.token, await animatedGif(), 'anim.gif'),
        large: await upload(alice.token, await noiseJpeg(2000), 'large.jpg'),
        broken: await upload(alice.token, await truncatedJpeg(), 'cut.jpg'),
      };
      await untilDone(Object.values(ids));

      const rotated = await rowOf(ids.rotated);
      expect(rotated).toMatchObject({ status: 'READY', width: 40, height: 60 });
      const thumbnail = await sharp(await readVariant(rotated.originalKey, 'thumbnail')).metadata();
      expect(thumbnail).toMatchObject({ format: 'webp', width: 40, height: 60 });
      expect(thumbnail.exif).toBeUndefined();

      expect(
        (await sharp(await readVariant((await rowOf(ids.alpha)).originalKey, 'display')).metadata()).hasAlpha,
      ).toBe(true);
      const animated = await sharp(await readVariant((await rowOf(ids.animated)).originalKey, 'thumbnail'), {
        animated: true,
      }).metadata();
      expect(animated).toMatchObject({ format: 'webp', pages: 3, width: 40, pageHeight: 30 });

      const large = await rowOf(ids.large);
      expect(large).toMatchObject({ status: 'READY', width: 2000, height: 2000 });
      expect(await sharp(await readVariant(large.originalKey, 'thumbnail')).metadata()).toMatchObject({
        width: THUMBNAIL_SIZE,
        height: THUMBNAIL_SIZE,
      });
      expect(await sharp(await readVariant(large.originalKey, 'display')).metadata()).toMatchObject({
        width: DISPLAY_SIZE,
        height: DISPLAY_SIZE,
      });

      expect(await rowOf(ids.broken)).toMatchObject({
        status: 'FAILED',
        failureReason: expect.stringMatching(/could not be read/),
      });
      for (const id of Object.values(ids)) expect(await announcements(id)).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('makes a cleaned original (upright, colour profile kept, no EXIF, XMP or IPTC) and deletes the upload as received; HEIF becomes JPEG, or PNG when transparent', async () => {
    const worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
    );
    try {
      const carol = await media.person();
      const photo = await jpegWithLocation();
      const avif = (channels: 3 | 4) =>
        sharp({ create: { width: 30, height: 20, channels, background: { r: 200, g: 0, b: 0, alpha: 0.5 } } })
          .avif()
          .toBuffer();
      const ids = {
        photo: await upload(carol.token, photo, 'photo.jpg'),
        avif: await upload(carol.token, await avif(3), 'opaque.avif'),
        transparent: await upload(carol.token, await avif(4), 'transparent.avif'),
        animated: await upload(carol.token, await animatedGif(), 'anim.gif'),
      };
      await untilDone(Object.values(ids));

      const row = await rowOf(ids.photo);
      expect(row).toMatchObject({ status: 'READY', width: 40, height: 60, format: 'jpeg' });
      expect(await storage.head(row.originalKey)).toBeUndefined();
      const original = await sharp(await readVariant(row.originalKey, 'original')).metadata();
      expect(original).toMatchObject({ format: 'jpeg', width: 40, height: 60 });
      expect([original.exif, original.xmp, original.iptc, original.orientation]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(Buffer.from(original.icc!).equals((await sharp(photo).metadata()).icc!)).toBe(true);
      for (const variant of ['thumbnail', 'display'] as const) {
        const metadata = await sharp(await readVariant(row.originalKey, variant)).metadata();
        expect([metadata.exif, metadata.xmp, metadata.iptc, metadata.icc?.length]).toEqual([
          undefined,
          undefined,
          undefined,
          original.icc!.length,
        ]);
      }

      // The same bytes again, once the upload as received is gone: made from the cleaned copy.
      const again = await upload(carol.token, photo, 'again.jpg');
      expect((await untilDone([again]))[0]).toMatchObject({ status: 'READY', width: 40, height: 60, format: 'jpeg' });
      expect(await storage.head(row.originalKey)).toBeUndefined();

      expect(await rowOf(ids.avif)).toMatchObject({ status: 'READY', format: 'jpeg' });
      expect(await sharp(await readVariant((await rowOf(ids.avif)).originalKey, 'original')).metadata()).toMatchObject({
        format: 'jpeg',
        width: 30,
        height: 20,
      });
      expect(await rowOf(ids.transparent)).toMatchObject({ status: 'READY', format: 'png' });
      expect(
        await sharp(await readVariant((await rowOf(ids.transparent)).originalKey, 'original')).metadata(),
      ).toMatchObject({ format: 'png', hasAlpha: true });
      const gif = await sharp(await readVariant((await rowOf(ids.animated)).originalKey, 'original'), {
        animated: true,
      }).metadata();
      expect(gif).toMatchObject({ format: 'gif', pages: 3, width: 40, pageHeight: 30 });
    } finally {
      await worker.stop();
    }
  });

  it('a worker killed in the middle of a batch leaves nothing lost: another finishes every image, each announced once', async () => {
    const bob = await media.person();
    const ids: string[] = [];
    for (let index = 0; index < 8; index += 1)
      ids.push(await upload(bob.token, await noiseJpeg(1500 + index), `photo-${index}.jpg`));

    const entry = fileURLToPath(new URL('../src/worker/index.ts', import.meta.url));
    const spawnWorker = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', entry], {
        env: {
          ...inheritedEnvironment(),
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          MEDIA_WORKER_PORT: '0',
          MEDIA_DIR: media.mediaDir,
          DATABASE_URL: media.env.DATABASE_URL,
          NATS_URL: media.env.NATS_URL,
          MEDIA_DATABASE: media.env.MEDIA_DATABASE,
          AUTH_JWKS_URL: media.env.AUTH_JWKS_URL,
        },
        stdio: 'ignore',
      });
    const first = spawnWorker();
    // Killed (SIGKILL: no drain) once it has finished one image and is in the middle of others.
    const deadline = Date.now() + WAIT_MS;
    while ((await Promise.all(ids.map(rowOf))).every((row) => row.status === 'PROCESSING')) {
      if (Date.now() > deadline) throw new Error('the first worker never finished an image');
      await new Promise((wait) => setTimeout(wait, 50));
    }
    first.kill('SIGKILL');
    expect((await Promise.all(ids.map(rowOf))).some((row) => row.status === 'PROCESSING')).toBe(true);

    const second = spawnWorker();
    try {
      // Images the killed worker held come back after JetStream's ack wait (30 s).
      const deadlineAll = Date.now() + 60_000;
      for (;;) {
        const rows = await Promise.all(ids.map(rowOf));
        if (rows.every((row) => row.status === 'READY')) break;
        if (Date.now() > deadlineAll) throw new Error(`not all READY: ${rows.map((row) => row.status).join(', ')}`);
        await new Promise((wait) => setTimeout(wait, 250));
      }
      for (const id of ids) expect(await announcements(id)).toBe(1);
    } finally {
      second.kill('SIGTERM');
    }
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { createDatabase, createPool } from '@letstalk/db';
import { createLogger } from '@letstalk/log';
import { noiseJpeg } from '@letstalk/testing';
import { images } from '../src/data/tables.ts';
import { signedImageUrl } from '../src/serving/signed-url.ts';
import { THUMBNAIL_SIZE } from '../src/worker/make-variants.ts';
import { startImageWorkerService } from '../src/worker/service.ts';
import { startMediaHarness } from './harness.ts';

type Urls = { status: string; thumbnail: string | null; display: string | null; original: string | null };

describe('serving images by signed URL', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let worker: Awaited<ReturnType<typeof startImageWorkerService>>;
  let pool: ReturnType<typeof createPool>;

  beforeAll(async () => {
    media = await startMediaHarness();
    worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
    );
    pool = createPool(media.env.DATABASE_URL, media.env.MEDIA_DATABASE);
  });
  afterAll(async () => {
    await pool.end();
    await worker.stop();
    await media.close();
  });

  /** The image's URLs, asked of the media subgraph the way the gateway resolves an Image reference. */
  async function urlsOf(id: string): Promise<Urls> {
    const response = await fetch(media.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Image { status thumbnail: url(variant: THUMBNAIL) display: url original: url(variant: ORIGINAL) } } }',
        variables: { r: [{ __typename: 'Image', id }] },
      }),
    });
    return ((await response.json()) as { data: { _entities: Urls[] } }).data._entities[0]!;
  }
  /** A URL handed to clients points at the gateway's origin; here it is asked of the media subgraph itself. */
  const get = (url: string, headers: Record<string, string> = {}) => {
    const { pathname, search } = new URL(url);
    return fetch(new URL(`${pathname}${search}`, media.service.url), { headers });
  };

  it('hands out URLs once READY and serves them with type, caching, ETag and ranges; refuses bad or expired ones', async () => {
    const alice = await media.person();
    const upload = await media.upload<{ uploadImage: { id: string; url: string | null } }>(
      alice.token,
      [{ bytes: await noiseJpeg(800), name: 'photo.jpg' }],
      {
        selection: 'id url(variant: THUMBNAIL)',
      },
    );
    const id = upload.data!.uploadImage.id;
    expect(upload.data!.uploadImage.url).toBeNull();
    const db = createDatabase(pool, { images });
    const deadline = Date.now() + 20_000;
    while ((await db.select().from(images).where(eq(images.id, id)))[0]?.status !== 'READY') {
      if (Date.now() > deadline) throw new Error('the image never became READY');
      await new Promise((wait) => setTimeout(wait, 100));
    }

    const urls = await urlsOf(id);
    expect(urls.thumbnail).toMatch(
      new RegExp(`^${media.env.MEDIA_PUBLIC_URL.replace(/\/$/, '')}/media/${id}/thumbnail\\?expires=\\d+&signature=`),
    );
    const thumbnail = await get(urls.thumbnail!);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('x-content-type-options')).toBe('nosniff');
    expect(thumbnail.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
    const etag = thumbnail.headers.get('etag')!;
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: THUMBNAIL_SIZE,
      height: THUMBNAIL_SIZE,
    });
    expect((await get(urls.thumbnail!, { 'if-none-match': etag })).status).toBe(304);

    const original = await get(urls.original!, { range: 'bytes=0-99' });
    expect(original.status).toBe(206);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await original.arrayBuffer()).byteLength).toBe(100);
    expect((await get(urls.original!, { range: 'bytes=999999999-' })).status).toBe(416);

    expect((await get(urls.display!.replace(/signature=[\w-]{4}/, 'signature=AAAA'))).status).toBe(403);
    expect((await get(urls.display!.replace('/display?', '/original?'))).status).toBe(403);
    const secret = media.env.MEDIA_URL_SECRET!;
    const expired = signedImageUrl({
      origin: media.env.MEDIA_PUBLIC_URL,
      secret,
      imageId: id,
      variant: 'DISPLAY',
      now: Date.now() - 3 * 60 * 60 * 1000,
    });
    expect((await get(expired)).status).toBe(403);
    const unknown = signedImageUrl({
      origin: media.env.MEDIA_PUBLIC_URL,
      secret,
      imageId: '00000000-0000-4000-8000-000000000000',
      variant: 'DISPLAY',
    });
    expect((await get(unknown)).status).toBe(404);
  });
});

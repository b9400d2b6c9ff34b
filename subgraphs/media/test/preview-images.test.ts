import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool } from '@letstalk/db';
import {
  connectNats,
  decodeEvent,
  mediaImageProcessed,
  previewImageReleased,
  previewImageRequested,
  SERVER_OWNER_ID,
  type EventPayload,
} from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { pngWithAlpha, publishEvent, startFakeWeb, startPrivateNats, type FakeWeb } from '@letstalk/testing';
import { images, outbox } from '../src/data/tables.ts';
import { startImageWorkerService } from '../src/worker/service.ts';
import { startMediaHarness } from './harness.ts';

const SETTLE = { timeout: 20_000, interval: 100 };

describe("link previews' images", () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let worker: Awaited<ReturnType<typeof startImageWorkerService>>;
  let pool: ReturnType<typeof createPool>;
  let db: ReturnType<typeof createDatabase<{ images: typeof images; outbox: typeof outbox }>>;
  let nc: NatsConnection;
  let subscription: Subscription;
  const processed: EventPayload<typeof mediaImageProcessed>[] = [];
  let web: FakeWeb;
  let forbidden: FakeWeb;
  let nats: Awaited<ReturnType<typeof startPrivateNats>>;

  beforeAll(async () => {
    // A NATS server of its own: the other media tests' workers allow no loopback fetches and would answer
    // these requests FAILED (see startPrivateNats); and a database of its own.
    nats = await startPrivateNats();
    media = await startMediaHarness({
      MEDIA_DATABASE: 'letstalk_media_preview_test',
      PREVIEW_ALLOW_HOSTS: '127.0.0.1',
      NATS_URL: nats.url,
    });
    worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
      {
        retryDelayMs: () => 50,
      },
    );
    pool = createPool(media.env.DATABASE_URL, media.env.MEDIA_DATABASE);
    db = createDatabase(pool, { images, outbox });
    nc = await connectNats(media.env.NATS_URL, 'media-preview-test');
    subscription = nc.subscribe(mediaImageProcessed.subject, {
      callback: (_error, message) => {
        processed.push(decodeEvent(mediaImageProcessed, message.data));
      },
    });
    web = await startFakeWeb('127.0.0.1');
    forbidden = await startFakeWeb('127.0.0.2');
  });
  afterAll(async () => {
    subscription?.unsubscribe();
    await nc?.drain();
    await worker?.stop();
    await pool?.end();
    await media?.close();
    await Promise.all([web?.close(), forbidden?.close()]);
    await nats?.stop();
  });

  async function request(url: string) {
    const imageId = randomUUID();
    await publishEvent(nc, previewImageRequested, { imageId, url });
    await expect.poll(() => processed.filter((event) => event.imageId === imageId).length, SETTLE).toBe(1);
    return { imageId, outcome: processed.find((event) => event.imageId === imageId)! };
  }

  it('fetches the image, stores it as the server’s and processes it like an upload', async () => {
    const { imageId, outcome } = await request(web.imageOf(web.page('/og')));
    expect(outcome).toEqual({ imageId, ownerId: SERVER_OWNER_ID, status: 'READY', failureReason: null });
    const [row] = await db.select().from(images).where(eq(images.id, imageId));
    expect(row).toMatchObject({
      purpose: 'LINK_PREVIEW',
      ownerId: SERVER_OWNER_ID,
      status: 'READY',
      format: 'png',
      width: 120,
      height: 80,
    });
    expect(row!.attachedAt).not.toBeNull();
  });

  it('deletes a preview image the preview released, and never anyone’s upload', async () => {
    const { imageId } = await request(web.imageOf(web.page('/og')));
    const person = await media.person();
    const upload = await media.upload<{ uploadImage: { id: string } }>(person.token, [
      { bytes: await pngWithAlpha(), name: 'mine.png' },
    ]);
    const uploaded = upload.data!.uploadImage.id;
    await publishEvent(nc, previewImageReleased, { imageId: uploaded });
    await publishEvent(nc, previewImageReleased, { imageId });
    await expect
      .poll(async () => (await db.select().from(images).where(eq(images.id, imageId))).length, SETTLE)
      .toBe(0);
    expect(await db.select({ id: images.id }).from(images).where(eq(images.id, uploaded))).toEqual([{ id: uploaded }]);
  });

  it.each([
    ['not an image', () => web.page('/json'), /application\/json is not wanted/],
    ['larger than 5 MB', () => web.page('/huge-image'), /larger than/],
    ['an HTML page', () => web.page('/og'), /text\/html is not wanted/],
    [
      'on an address that is not allowed',
      () => `http://127.0.0.2:${new URL(forbidden.url).port}/image.png`,
      /not allowed|non-public/,
    ],
    ['behind a redirect to the metadata address', () => web.page('/metadata'), /non-public/],
  ])('announces FAILED for an image %s, and stores nothing', async (_name, url, reason) => {
    const { imageId, outcome } = await request(url());
    expect(outcome).toMatchObject({ status: 'FAILED', failureReason: expect.stringMatching(reason) });
    expect(await db.select().from(images).where(eq(images.id, imageId))).toEqual([]);
    expect(forbidden.connections()).toBe(0);
  });
});

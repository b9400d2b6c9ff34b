import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaImageProcessed, SERVER_OWNER_ID } from '@letstalk/events';
import { forbiddenLinks, OPEN_GRAPH_PAGE, publishEvent, startFakeWeb, type FakeWeb } from '@letstalk/testing';
import { startPreviewHarness } from './harness.ts';

/** Time for the worker to fetch and settle a page (the slow-body page takes the 5 s fetch deadline). */
const SETTLE = { timeout: 20_000, interval: 100 };

let preview: Awaited<ReturnType<typeof startPreviewHarness>>;
let web: FakeWeb;
/** A site on 127.0.0.2: not allowed, so it must never see a connection. */
let forbidden: FakeWeb;

beforeAll(async () => {
  preview = await startPreviewHarness();
  web = await startFakeWeb('127.0.0.1');
  forbidden = await startFakeWeb('127.0.0.2');
});
afterAll(async () => {
  await preview?.close();
  await Promise.all([web?.close(), forbidden?.close()]);
});

/** The preview of one message, polled until it is no longer PENDING. */
async function settled(message: { id: string; firstLink: string | null }) {
  await expect.poll(async () => (await preview.previews([message]))[0]?.status, SETTLE).not.toBe('PENDING');
  return (await preview.previews([message]))[0]!;
}

/** Plays the media worker: answers the `nth` request for an image URL (or, `prefix`, URLs starting so) with `status`. */
async function processImage(imageUrl: string, status: 'READY' | 'FAILED', nth = 0, prefix = false) {
  const requests = () => preview.imageRequestsFor(imageUrl, prefix);
  await expect.poll(() => requests().length, SETTLE).toBeGreaterThan(nth);
  const request = requests()[nth];
  await publishEvent(preview.nc, mediaImageProcessed, {
    imageId: request!.imageId,
    ownerId: SERVER_OWNER_ID,
    status,
    failureReason: status === 'FAILED' ? 'not an image' : null,
  });
  return request!.imageId;
}

describe('link previews', () => {
  it('shows PENDING at once, then READY with the Open Graph content and the image, and tells the message', async () => {
    const link = web.page('/og');
    const message = await preview.send(link);
    expect(await preview.previews([message])).toEqual([
      { status: 'PENDING', url: link, title: null, description: null, siteName: null, image: null },
    ]);

    // The page is read, but the preview waits for its image before it is READY.
    const imageId = await processImage(web.imageOf(link), 'READY');
    expect(await settled(message)).toEqual({
      status: 'READY',
      url: link,
      title: OPEN_GRAPH_PAGE.title,
      description: OPEN_GRAPH_PAGE.description,
      siteName: OPEN_GRAPH_PAGE.siteName,
      image: { id: imageId },
    });
    await expect
      .poll(() => preview.updatesOf(message.id), SETTLE)
      .toEqual([{ chatId: message.chatId, messageId: message.id, status: 'READY' }]);
  });

  it('shows a link seen before READY at once, without fetching it again', async () => {
    const link = web.page('/title-only');
    const first = await preview.send(link);
    await settled(first);
    const fetches = web.requests.filter((path) => path === '/title-only').length;

    // Another spelling of the same page: a fragment and a tracking parameter.
    const again = `${link}&utm_source=chat#top`;
    const second = await preview.send(again);
    expect(await preview.previews([second])).toEqual([
      {
        status: 'READY',
        url: again,
        title: 'Just a title',
        description: 'Plain description',
        siteName: null,
        image: null,
      },
    ]);
    await new Promise((wait) => setTimeout(wait, 500));
    expect(web.requests.filter((path) => path === '/title-only').length).toBe(fetches);
  });

  it('fetches a link once for every message that shows it while it is fetched', async () => {
    const link = web.page('/og-slow');
    const messages = await Promise.all([preview.send(link), preview.send(link), preview.send(link)]);
    await processImage(web.imageOf(link), 'READY');
    for (const message of messages) {
      await expect.poll(() => preview.updatesOf(message.id).length, SETTLE).toBe(1);
    }
    expect(web.requests.filter((path) => path === '/og-slow')).toHaveLength(1);
    expect(preview.imageRequestsFor(web.imageOf(link))).toHaveLength(1);
  });

  it('refreshes an expired preview: the new image is shown and the old one released', async () => {
    const link = web.page('/og-rotating');
    const images = `${web.imageOf(link)}&v=`;
    const first = await preview.send(link);
    const oldImage = await processImage(images, 'READY', 0, true);
    expect(await settled(first)).toMatchObject({ status: 'READY', title: 'Rotating', image: { id: oldImage } });

    await preview.expire(link);
    const second = await preview.send(link);
    // While the page is fetched again, the old preview still shows.
    expect((await preview.previews([second]))[0]).toMatchObject({ status: 'READY', image: { id: oldImage } });
    const newImage = await processImage(images, 'READY', 1, true);
    // Read from the database: this subgraph process keeps the settled row until its real expiry (a day).
    await expect.poll(async () => (await preview.row(link))?.imageId, SETTLE).toBe(newImage);
    await expect.poll(() => preview.releasedImages(), SETTLE).toContain(oldImage);
  });

  it('keeps the copy of an image that did not change when it refreshes a preview', async () => {
    const link = web.page('/og');
    const message = await preview.send(link);
    const image = await processImage(web.imageOf(link), 'READY');
    await settled(message);
    await preview.expire(link);
    const fetches = web.requests.filter((path) => path === '/og').length;
    const again = await preview.send(link);
    await expect.poll(() => preview.updatesOf(again.id).length, SETTLE).toBe(1);
    expect(web.requests.filter((path) => path === '/og').length).toBe(fetches + 1);
    expect(preview.imageRequestsFor(web.imageOf(link))).toHaveLength(1);
    expect(await preview.row(link)).toMatchObject({ status: 'READY', imageId: image });
    expect(preview.releasedImages()).not.toContain(image);
  });

  it('is READY without an image when the image cannot be used', async () => {
    const link = web.page('/og');
    const message = await preview.send(link);
    await processImage(web.imageOf(link), 'FAILED');
    expect(await settled(message)).toMatchObject({ status: 'READY', title: OPEN_GRAPH_PAGE.title, image: null });
  });

  it.each([
    ['/twitter', { title: 'Card title', description: 'Card description' }],
    ['/gzip', { title: 'Compressed page' }],
    ['/big', { title: 'A big page' }],
  ])('reads %s', async (path, expected) => {
    const message = await preview.send(web.page(path));
    expect(await settled(message)).toMatchObject({ status: 'READY', ...expected });
  });

  it.each([
    ['a page with no title or description', '/no-title'],
    ['a body that never ends', '/slow-body'],
    ['a redirect loop', '/loop'],
    ['a redirect to the cloud metadata address', '/metadata'],
    ['JSON', '/json'],
    ['a 404', '/status/404'],
  ])('FAILS %s', async (_name, path) => {
    const message = await preview.send(web.page(path));
    expect(await settled(message)).toMatchObject({ status: 'FAILED', title: null, image: null });
    await expect
      .poll(() => preview.updatesOf(message.id), SETTLE)
      .toEqual([{ chatId: message.chatId, messageId: message.id, status: 'FAILED' }]);
  });

  it('retries a server error with back-off, then FAILS', async () => {
    const message = await preview.send(web.page('/status/503'));
    expect(await settled(message)).toMatchObject({ status: 'FAILED' });
    expect(web.requests.filter((path) => path === '/status/503').length).toBeGreaterThanOrEqual(5);
  });

  it('asks its own name server, not the system’s: a name it does not know FAILS at once, without retries', async () => {
    const host = `${randomUUID()}.example.com`;
    const link = `https://${host}/`;
    const message = await preview.send(link);
    expect(await settled(message)).toMatchObject({ status: 'FAILED' });
    expect((await preview.row(link))?.failureReason).toContain('ENOTFOUND');
    // NXDOMAIN is an answer, not an outage: one attempt asked the fake server, none more.
    expect(preview.dns.queries.filter((query) => query === `A ${host}`)).toEqual([`A ${host}`]);
  });

  it('FAILS every link to an address that is not allowed, without connecting', async () => {
    const links = forbiddenLinks(web, forbidden);
    const messages = await Promise.all(links.map((link) => preview.send(link)));
    for (const message of messages) expect((await settled(message)).status, message.firstLink!).toBe('FAILED');
    expect(forbidden.connections()).toBe(0);
  });

  it('follows an edit to a new link', async () => {
    const message = await preview.send(web.page('/title-only'));
    await settled(message);
    const edited = await preview.edit(message, web.page('/twitter'));
    expect((await preview.previews([edited]))[0]!.status).toBe('PENDING');
    expect(await settled(edited)).toMatchObject({ status: 'READY', title: 'Card title' });
  });

  it('says FAILED for a link nobody fetched in a message older than the events stream keeps (its event is gone)', async () => {
    const link = web.page('/og');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000).toISOString();
    expect((await preview.previews([{ id: 'old:1', firstLink: link, createdAt: eightDaysAgo }]))[0]!.status).toBe(
      'FAILED',
    );
    expect((await preview.previews([{ id: 'new:1', firstLink: link }]))[0]!.status).toBe('PENDING');
  });

  it('answers null without a link, and FAILED for a link too long to preview, in one batch', async () => {
    const long = `${web.url}/${'a'.repeat(3000)}`;
    expect(
      await preview.previews([
        { id: 'x:1', firstLink: null },
        { id: 'x:2', firstLink: long },
      ]),
    ).toEqual([null, { status: 'FAILED', url: long, title: null, description: null, siteName: null, image: null }]);
  });
});

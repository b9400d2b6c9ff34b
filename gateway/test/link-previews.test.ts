import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EditMessageDocument, MessagesDocument } from '@letstalk/sdk';
import { fakeDnsQueries, OPEN_GRAPH_PAGE, startFakeWeb, type FakeWeb } from '@letstalk/testing';
import { aliceAndBobFollowingLive } from './helpers.ts';

/** The linked site: real HTTP on 127.0.0.1, the one address the stack's preview worker may fetch here. */
let web: FakeWeb;
/** A site on 127.0.0.2, which it may not. */
let forbidden: FakeWeb;

beforeAll(async () => {
  web = await startFakeWeb('127.0.0.1');
  forbidden = await startFakeWeb('127.0.0.2');
});
afterAll(async () => {
  await Promise.all([web?.close(), forbidden?.close()]);
});

describe('link previews through the gateway', () => {
  it('Bob sees a link PENDING, then READY with the page’s title and a copy of its image; the same link again is READY at once', async () => {
    const { bob, chat, added, updated, send, close } = await aliceAndBobFollowingLive();
    // The page answers after 500 ms, so the message surely goes out before its preview is ready.
    const link = web.page('/og-slow');
    const sent = await send(`Timetables: ${link} (see you there)`);
    await added.until(() => added.data().some((data) => data.messageAdded.id === sent.id), 'the message');
    expect(added.data().find((data) => data.messageAdded.id === sent.id)!.messageAdded.linkPreview).toEqual({
      status: 'PENDING',
      url: link,
      title: null,
      description: null,
      siteName: null,
      image: null,
    });

    const readyOf = (id: string) =>
      updated
        .data()
        .find((data) => data.messageUpdated.id === id && data.messageUpdated.linkPreview?.status === 'READY');
    await updated.until(() => readyOf(sent.id) !== undefined, 'the preview to be ready');
    const preview = readyOf(sent.id)!.messageUpdated.linkPreview!;
    expect(preview).toMatchObject({
      status: 'READY',
      url: link,
      title: OPEN_GRAPH_PAGE.title,
      description: OPEN_GRAPH_PAGE.description,
      siteName: OPEN_GRAPH_PAGE.siteName,
    });
    // The image is the server's copy, READY, served from the gateway: Bob's client never calls the linked site.
    expect(preview.image).toMatchObject({ status: 'READY', width: 120, height: 80 });
    expect(preview.image!.thumbnail!.startsWith(`${inject('gatewayUrl').replace(/\/graphql$/, '')}/media/`)).toBe(true);
    const thumbnail = await fetch(preview.image!.thumbnail!);
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 120,
      height: 80,
    });

    // The same link again, another spelling: READY in the message itself, with no new fetch.
    const fetches = web.requests.filter((path) => path === '/og-slow').length;
    const again = await send(`${link}#schedule`);
    await added.until(() => added.data().some((data) => data.messageAdded.id === again.id), 'the second message');
    expect(added.data().find((data) => data.messageAdded.id === again.id)!.messageAdded.linkPreview).toMatchObject({
      status: 'READY',
      title: OPEN_GRAPH_PAGE.title,
      image: { id: preview.image!.id },
    });
    expect(web.requests.filter((path) => path === '/og-slow').length).toBe(fetches);

    // History shows it too.
    const { messages } = await bob.client.request(MessagesDocument, { chatId: chat.id, last: 10 });
    expect(messages.edges.map((edge) => edge.node.linkPreview?.status)).toEqual(['READY', 'READY']);
    await close();
  });

  it('a link to an internal address ends FAILED, and nothing there is ever contacted', async () => {
    const { added, updated, send, close } = await aliceAndBobFollowingLive();
    const port = new URL(forbidden.url).port;
    const links = [
      `http://127.0.0.2:${port}/og?${randomUUID()}`,
      `http://localhost:${port}/og?${randomUUID()}`,
      `http://127.0.0.2/og?${randomUUID()}`,
      `${web.url}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${port}/og`)}&${randomUUID()}`,
    ];
    const sent: { id: string }[] = [];
    for (const link of links) sent.push(await send(link));
    const failedOf = (id: string) =>
      updated
        .data()
        .some((data) => data.messageUpdated.id === id && data.messageUpdated.linkPreview?.status === 'FAILED');
    await updated.until(() => sent.every((message) => failedOf(message.id)), 'every preview to fail');

    // An IPv6 literal is not made a link at all (linkify does not take one), so it is never fetched either.
    const ipv6 = await send(`http://[::1]:${port}/og?${randomUUID()}`);
    expect(ipv6.linkPreview).toBeNull();
    await added.until(() => added.data().length === links.length + 1, 'the messages');
    expect(forbidden.connections()).toBe(0);
    await close();
  });

  it('a link to a public-looking name is asked of the stack’s own name server, never the system’s, and ends FAILED', async () => {
    const { updated, send, close } = await aliceAndBobFollowingLive();
    const host = `${randomUUID()}.example.com`;
    const sent = await send(`look: https://${host}/`);
    expect(sent.linkPreview?.status).toBe('PENDING');
    await expect
      .poll(() => fakeDnsQueries(inject('dnsQueriesUrl')), { timeout: 10_000, interval: 100 })
      .toContain(`A ${host}`);
    // It knows no name (NXDOMAIN): an answer, not an outage, so the preview fails at once, without retries.
    const failed = () =>
      updated
        .data()
        .some((data) => data.messageUpdated.id === sent.id && data.messageUpdated.linkPreview?.status === 'FAILED');
    await expect.poll(failed, { timeout: 10_000, interval: 100 }).toBe(true);
    await close();
  });

  it('an edit to a new link gets that link’s preview; a message without a link has none', async () => {
    const { alice, updated, send, close } = await aliceAndBobFollowingLive();
    const plain = await send('no links here, only example.com');
    expect(plain.linkPreview).toBeNull();
    const { editMessage } = await alice.client.request(EditMessageDocument, {
      messageId: plain.id,
      text: `now one: ${web.page('/title-only')}`,
    });
    expect(editMessage.linkPreview?.status).toBe('PENDING');
    await updated.until(
      () =>
        updated
          .data()
          .some((data) => data.messageUpdated.id === plain.id && data.messageUpdated.linkPreview?.status === 'READY'),
      'the edited link’s preview',
    );
    await close();
  });
});

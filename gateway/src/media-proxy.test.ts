import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@letstalk/log';
import { rawHttpRequest, startDecoyListener } from '@letstalk/testing';
import { EXPORTS_ROUTE, FILES_ROUTE, MEDIA_ROUTE, mediaProxy } from './media-proxy.ts';

const IMAGE_ID = '2b1c2b1e-7d2f-4c8e-9a59-3f1d8c0f9e11';
const SIGNATURE = 'x'.repeat(43);
const SIGNED = `/media/${IMAGE_ID}/thumbnail?expires=1&signature=${SIGNATURE}`;
const SIGNED_FILE = `/files/${IMAGE_ID}?expires=1&signature=${SIGNATURE}`;
const SIGNED_EXPORT = `/exports/${IMAGE_ID}?expires=1&signature=${SIGNATURE}`;

describe('the gateway streams image URLs from the media subgraph', () => {
  const seen: http.IncomingHttpHeaders[] = [];
  const seenTargets: string[] = [];
  let decoy: Awaited<ReturnType<typeof startDecoyListener>>;
  let upstream: http.Server;
  let gateway: http.Server;
  let gatewayUrl = '';
  const agent = new Agent();

  beforeAll(async () => {
    // Stands in for the media subgraph's image route: echoes what it was asked, with its headers.
    decoy = await startDecoyListener();
    upstream = http.createServer((req, res) => {
      seen.push(req.headers);
      seenTargets.push(req.url ?? '');
      if (req.url?.includes('expires=2')) return; // never answers
      res.writeHead(req.headers.range ? 206 : 200, {
        'content-type': 'image/webp',
        etag: '"abc"',
        'cache-control': 'private, max-age=60, immutable',
        'x-content-type-options': 'nosniff',
        'content-disposition': 'attachment; filename="a.bin"',
        'set-cookie': 'not=forwarded',
        ...(req.headers.range ? { 'content-range': 'bytes 0-1/10' } : {}),
      });
      res.end(`${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const mediaUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/graphql`;
    const app = express();
    const proxy = mediaProxy({
      mediaUrl: () => mediaUrl,
      dispatcher: agent,
      timeoutMs: 300,
      log: createLogger({ service: 'test', level: 'silent', pretty: false }),
    });
    app.get(MEDIA_ROUTE, proxy);
    app.get(FILES_ROUTE, proxy);
    app.get(EXPORTS_ROUTE, proxy);
    app.use((_req, res) => {
      res.status(404).end('not here');
    });
    gateway = http.createServer(app);
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => gateway.close(resolve));
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    await agent.close();
    await decoy.close();
  });

  it('passes the path with its signature, ranges and validators, and the caching headers back, nothing else', async () => {
    const response = await fetch(`${gatewayUrl}${SIGNED}`, {
      headers: {
        range: 'bytes=0-1',
        'if-none-match': '"old"',
        cookie: 'session=secret',
        authorization: 'Bearer token',
      },
    });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe(SIGNED);
    expect(
      Object.fromEntries(
        ['content-type', 'etag', 'cache-control', 'x-content-type-options', 'content-range', 'set-cookie'].map(
          (name) => [name, response.headers.get(name)],
        ),
      ),
    ).toEqual({
      'content-type': 'image/webp',
      etag: '"abc"',
      'cache-control': 'private, max-age=60, immutable',
      'x-content-type-options': 'nosniff',
      'content-range': 'bytes 0-1/10',
      'set-cookie': null,
    });
    expect(seen.at(-1)).toMatchObject({ range: 'bytes=0-1', 'if-none-match': '"old"' });
    expect(seen.at(-1)?.cookie).toBeUndefined();
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it.each([SIGNED_FILE, SIGNED_EXPORT])(
    'passes a signed download URL (%s) as it came, and its download headers back',
    async (signed) => {
      const response = await fetch(`${gatewayUrl}${signed}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(signed);
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="a.bin"');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('set-cookie')).toBeNull();
    },
  );

  it.each([
    ['an absolute-form target naming another host', `http://${'DECOY'}${SIGNED}`],
    ['an absolute-form file target naming another host', `http://${'DECOY'}${SIGNED_FILE}`],
    ['a file URL with a segment more', `/files/${IMAGE_ID}/x?expires=1&signature=${SIGNATURE}`],
    ['a file URL with dot segments', `/files/${IMAGE_ID}/..?expires=1&signature=${SIGNATURE}`],
    ['an absolute-form archive target naming another host', `http://${'DECOY'}${SIGNED_EXPORT}`],
    ['an archive URL that is not an id', `/exports/..%2f..%2freadyz?expires=1&signature=${SIGNATURE}`],
    ['an absolute-form target with dot segments', `http://DECOY/media/${IMAGE_ID}/../../x`],
    ['backslashes that a URL parser turns into dot segments', `/media/a/b\\..\\..\\..\\readyz`],
    ['percent-encoded dots', `/media/${IMAGE_ID}/%2e%2e?expires=1&signature=${SIGNATURE}`],
    ['percent-encoded slashes', `/media/${IMAGE_ID}%2f..%2f..%2freadyz/thumbnail?expires=1&signature=${SIGNATURE}`],
    ['a variant that is not one', `/media/${IMAGE_ID}/secret?expires=1&signature=${SIGNATURE}`],
    ['a query with more than the signature', `${SIGNED}&x=1`],
    ['a URL without its signature', `/media/${IMAGE_ID}/thumbnail`],
  ])('refuses %s with 404, and nothing is fetched', async (_case, written) => {
    const target = written.replace('DECOY', `${decoy.host}:${decoy.port}`);
    const asked = seenTargets.length;
    const answer = await rawHttpRequest(gatewayUrl, target);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('decoy');
    expect(seenTargets.length).toBe(asked);
    expect(decoy.connections()).toBe(0);
  });

  it('gives up on a media subgraph that does not answer, with 502', async () => {
    const started = Date.now();
    const answer = await rawHttpRequest(gatewayUrl, SIGNED.replace('expires=1', 'expires=2'));
    expect(answer.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

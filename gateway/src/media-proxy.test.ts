import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@letstalk/log';
import { MEDIA_ROUTE, mediaProxy } from './media-proxy.ts';

describe('the gateway streams image URLs from the media subgraph', () => {
  const seen: http.IncomingHttpHeaders[] = [];
  let upstream: http.Server;
  let gateway: http.Server;
  let gatewayUrl = '';
  const agent = new Agent();

  beforeAll(async () => {
    // Stands in for the media subgraph's image route: echoes what it was asked, with its headers.
    upstream = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(req.headers.range ? 206 : 200, {
        'content-type': 'image/webp',
        etag: '"abc"',
        'cache-control': 'private, max-age=60, immutable',
        'x-content-type-options': 'nosniff',
        'set-cookie': 'not=forwarded',
        ...(req.headers.range ? { 'content-range': 'bytes 0-1/10' } : {}),
      });
      res.end(`${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const mediaUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/graphql`;
    const app = express();
    app.get(MEDIA_ROUTE, mediaProxy({ mediaUrl: () => mediaUrl, dispatcher: agent, log: createLogger({ service: 'test', level: 'silent', pretty: false }) }));
    gateway = http.createServer(app);
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
    await agent.close();
  });

  it('passes the path with its signature, ranges and validators, and the caching headers back, nothing else', async () => {
    const response = await fetch(`${gatewayUrl}/media/2b1c2b1e-7d2f-4c8e-9a59-3f1d8c0f9e11/thumbnail?expires=1&signature=x`, {
      headers: { range: 'bytes=0-1', 'if-none-match': '"old"', cookie: 'session=secret', authorization: 'Bearer token' },
    });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('/media/2b1c2b1e-7d2f-4c8e-9a59-3f1d8c0f9e11/thumbnail?expires=1&signature=x');
    expect(Object.fromEntries(['content-type', 'etag', 'cache-control', 'x-content-type-options', 'content-range', 'set-cookie'].map((name) => [name, response.headers.get(name)]))).toEqual({
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
});

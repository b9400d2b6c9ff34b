import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIG_PAGE_BYTES,
  forbiddenLinks,
  rejectionOf,
  startFakeTlsSite,
  startFakeWeb,
  type FakeWeb,
} from '@letstalk/testing';
import { AddressPolicy, FetchError, SafeFetcher, type ConnectTarget, type FetchLimits } from '../src/index.ts';

const page: FetchLimits = {
  maxBytes: 2 * 1024 * 1024,
  overflow: 'truncate',
  accepts: (type) => type === 'text/html',
  accept: 'text/html',
};

let web: FakeWeb;
/** A server on another loopback address that must never see a connection. */
let forbidden: FakeWeb;
/** The real network, with only 127.0.0.1 allowed (as the preview worker runs in tests). */
let fetcher: SafeFetcher;

beforeAll(async () => {
  web = await startFakeWeb('127.0.0.1');
  forbidden = await startFakeWeb('127.0.0.2');
  fetcher = new SafeFetcher({ policy: new AddressPolicy(['127.0.0.1']), userAgent: 'LetsTalk test' });
});
afterAll(async () => {
  await Promise.all([web.close(), forbidden.close()]);
});

const failure = (promise: Promise<unknown>) => rejectionOf(promise, FetchError);

describe('SafeFetcher over loopback', () => {
  it('fetches a page, saying who asks', async () => {
    const fetched = await fetcher.fetch(web.page('/og'), page);
    expect(web.userAgents.at(-1)).toBe('LetsTalk test');
    expect(fetched.status).toBe(200);
    expect(fetched.contentType).toBe('text/html; charset=utf-8');
    expect(fetched.body.toString()).toContain('og:title');
    expect(fetched.truncated).toBe(false);
  });

  it('decompresses a gzip page', async () => {
    const fetched = await fetcher.fetch(web.page('/gzip'), page);
    expect(fetched.body.toString()).toContain('<title>Compressed page</title>');
  });

  it('reads no more than maxBytes of a 10 MB page and hangs up', async () => {
    const fetched = await fetcher.fetch(web.page('/big'), page);
    expect(fetched.truncated).toBe(true);
    expect(fetched.body.length).toBe(page.maxBytes);
    expect(fetched.body.toString('utf8', 0, 200)).toContain('<title>A big page</title>');
    await expect.poll(() => web.bytesSent()).toBeLessThan(BIG_PAGE_BYTES);
  });

  it('fails a body larger than maxBytes when asked to', async () => {
    expect((await failure(fetcher.fetch(web.page('/big'), { ...page, overflow: 'fail' }))).kind).toBe('too-large');
  });

  it('gives up on a slow body at the deadline', async () => {
    const started = Date.now();
    const error = await failure(fetcher.fetch(web.page('/slow-body'), { ...page, timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops after three redirects', async () => {
    const before = web.requests.length;
    expect((await failure(fetcher.fetch(web.page('/loop'), page))).kind).toBe('redirects');
    expect(web.requests.length - before).toBe(4);
  });

  it('follows a redirect and says where the page came from', async () => {
    const target = web.page('/title-only');
    const fetched = await fetcher.fetch(`${web.url}/redirect?to=${encodeURIComponent(target)}`, page);
    expect(fetched.url).toBe(target);
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    expect((await failure(fetcher.fetch(web.page('/metadata'), page))).kind).toBe('policy');
  });

  it('refuses content that is not HTML', async () => {
    expect((await failure(fetcher.fetch(web.page('/json'), page))).kind).toBe('content-type');
  });

  it('reports an error status, retryable for 5xx', async () => {
    expect(await failure(fetcher.fetch(web.page('/status/404'), page))).toMatchObject({
      kind: 'status',
      retryable: false,
    });
    expect(await failure(fetcher.fetch(web.page('/status/503'), page))).toMatchObject({
      kind: 'status',
      retryable: true,
    });
  });

  it('never connects to 127.0.0.2, [::1] or localhost when only 127.0.0.1 is allowed', async () => {
    for (const link of forbiddenLinks(web, forbidden))
      expect((await failure(fetcher.fetch(link, page))).kind, link).toBe('policy');
    expect(forbidden.connections()).toBe(0);
    expect(forbidden.requests).toEqual([]);
  });
});

describe('SafeFetcher pins the address it checked', () => {
  it('connects to the resolved address, once per hop, and sends the host name', async () => {
    const targets: ConnectTarget[] = [];
    const asked: string[] = [];
    const pinned = new SafeFetcher({
      policy: new AddressPolicy(),
      userAgent: 'LetsTalk test',
      // Each hop resolves once, checks the answer and connects there: a second, different answer (DNS
      // rebinding) is never asked for.
      resolve: async (hostname) => {
        asked.push(hostname);
        return hostname === 'news.example' ? ['93.184.215.14'] : ['10.0.0.1'];
      },
      connect: (target) => {
        targets.push(target);
        // Stands in for the public address: the test itself never leaves loopback.
        return net.connect({ host: '127.0.0.1', port: Number(new URL(web.url).port) });
      },
    });
    const fetched = await pinned.fetch('http://news.example/title-only', page);
    expect(fetched.body.toString()).toContain('Just a title');
    expect(targets).toEqual([{ address: '93.184.215.14', port: 80, tls: false, servername: 'news.example' }]);
    expect(asked).toEqual(['news.example']);

    // The page redirects to a name that now resolves to an internal address: refused before connecting.
    const error = await failure(
      pinned.fetch(`http://news.example/redirect?to=${encodeURIComponent('http://rebound.example/og')}`, page),
    );
    expect(error.kind).toBe('policy');
    expect(asked).toEqual(['news.example', 'news.example', 'rebound.example']);
    expect(targets).toHaveLength(2);
  });
});

describe('SafeFetcher over TLS', () => {
  it('checks the certificate: a self-signed one is refused, for good (not retried)', async () => {
    const site = await startFakeTlsSite('news.example');
    try {
      const error = await failure(fetcher.fetch(`https://127.0.0.1:${site.port}/`, page));
      expect(error).toMatchObject({ kind: 'network', retryable: false });
      expect(site.seen).toEqual([]);
    } finally {
      await site.close();
    }
  });

  it('connects to the checked address and verifies the certificate against the host name of the link', async () => {
    const site = await startFakeTlsSite('news.example');
    // Trusts the site's certificate and stands in for the public address; the name to verify is the fetcher's.
    const viaLoopback = (target: { servername: string | undefined }) =>
      tls.connect({
        host: '127.0.0.1',
        port: site.port,
        ca: site.ca,
        ...(target.servername ? { servername: target.servername } : {}),
        ALPNProtocols: ['http/1.1'],
      });
    const resolveTo = (address: string) => async () => [address];
    try {
      const pinned = new SafeFetcher({
        policy: new AddressPolicy(),
        userAgent: 'LetsTalk test',
        resolve: resolveTo('93.184.215.14'),
        connect: viaLoopback,
      });
      const fetched = await pinned.fetch('https://news.example/', page);
      expect(fetched.body.toString()).toContain('Over TLS');
      expect(site.seen).toEqual([{ servername: 'news.example', host: 'news.example' }]);
      // Another name on the same address: the certificate does not match it.
      const error = await failure(pinned.fetch('https://other.example/', page));
      expect(error).toMatchObject({ kind: 'network', retryable: false });
    } finally {
      await site.close();
    }
  });
});

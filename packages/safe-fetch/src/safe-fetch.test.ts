import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '@letstalk/testing';
import { AddressPolicy } from './address-policy.ts';
import type { Resolver } from './dns-resolver.ts';
import { FetchError, SafeFetcher, type SocketFactory } from './safe-fetch.ts';

const html = {
  maxBytes: 1024,
  overflow: 'truncate',
  accepts: (type: string) => type === 'text/html',
  accept: 'text/html',
} as const;

/** A socket factory that fails the test if anything tries to connect. */
const neverConnect: SocketFactory = (target) => {
  throw new Error(`the fetcher tried to connect to ${target.address}:${target.port}`);
};

function fetcherWith(resolve: Resolver, policy = new AddressPolicy()) {
  const connect = vi.fn(neverConnect);
  const resolver = vi.fn(resolve);
  return { fetcher: new SafeFetcher({ policy, userAgent: 'test', resolve: resolver, connect }), connect, resolver };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, FetchError);

describe('SafeFetcher refuses before it connects', () => {
  it.each([
    ['10.0.0.5'],
    ['172.16.4.4'],
    ['192.168.0.10'],
    ['100.64.1.1'],
    ['169.254.169.254'],
    ['127.0.0.1'],
    ['0.0.0.0'],
    ['::1'],
    ['fc00::7'],
    ['fe80::1'],
    ['::ffff:10.0.0.1'],
  ])('a host name that resolves to %s', async (address) => {
    const { fetcher, connect, resolver } = fetcherWith(async () => [address]);
    const error = await failure(fetcher.fetch('https://innocent.example/page', html));
    expect(error.kind).toBe('policy');
    expect(resolver).toHaveBeenCalledWith('innocent.example', expect.any(AbortSignal));
    expect(connect).not.toHaveBeenCalled();
  });

  it('a host name with one public and one internal address', async () => {
    const { fetcher, connect } = fetcherWith(async () => ['93.184.215.14', '10.0.0.1']);
    expect((await failure(fetcher.fetch('http://mixed.example/', html))).kind).toBe('policy');
    expect(connect).not.toHaveBeenCalled();
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:7f00:1]/',
    'http://[fe80::1]/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://10.1/',
  ])('the address literal %s, without asking the resolver', async (url) => {
    const { fetcher, connect, resolver } = fetcherWith(async () => ['93.184.215.14']);
    expect((await failure(fetcher.fetch(url, html))).kind).toBe('policy');
    expect(resolver).not.toHaveBeenCalled();
    expect(connect).not.toHaveBeenCalled();
  });

  it.each([
    ['http://example.com:8080/', 'policy'],
    ['http://example.com:22/', 'policy'],
    ['ftp://example.com/file', 'url'],
    ['file:///etc/passwd', 'url'],
    ['gopher://example.com/', 'url'],
    ['http://user:secret@example.com/', 'url'],
    ['not a url', 'url'],
  ])('%s', async (url, kind) => {
    const { fetcher, connect, resolver } = fetcherWith(async () => ['93.184.215.14']);
    expect((await failure(fetcher.fetch(url, html))).kind).toBe(kind);
    expect(resolver).not.toHaveBeenCalled();
    expect(connect).not.toHaveBeenCalled();
  });

  it('a host name that cannot be resolved (retryable)', async () => {
    const { fetcher, connect } = fetcherWith(async () => {
      throw new Error('ENOTFOUND');
    });
    const error = await failure(fetcher.fetch('https://nowhere.example/', html));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(connect).not.toHaveBeenCalled();
  });

  it('a resolver that never answers, at the deadline', async () => {
    const { fetcher, connect } = fetcherWith(() => new Promise(() => undefined));
    const error = await failure(fetcher.fetch('https://slow-dns.example/', { ...html, timeoutMs: 50 }));
    expect(error.kind).toBe('timeout');
    expect(connect).not.toHaveBeenCalled();
  });

  it('tells the resolver to stop asking at the deadline', async () => {
    const given: AbortSignal[] = [];
    const { fetcher } = fetcherWith((_hostname, signal) => {
      given.push(signal);
      return new Promise(() => undefined);
    });
    await failure(fetcher.fetch('https://slow-dns.example/', { ...html, timeoutMs: 50 }));
    expect(given).toHaveLength(1);
    expect(given[0]!.aborted).toBe(true);
  });

  it('a name server that does not answer in time (retryable timeout)', async () => {
    const { fetcher } = fetcherWith(async () => {
      throw Object.assign(new Error('DNS did not answer for slow.example'), { code: 'ETIMEOUT' });
    });
    const error = await failure(fetcher.fetch('https://slow.example/', html));
    expect(error).toMatchObject({
      kind: 'timeout',
      retryable: true,
      message: 'slow.example could not be resolved: DNS did not answer for slow.example',
    });
  });
});

describe('SafeFetcher says which failures may pass', () => {
  /** A connection to a public address (as the resolver claims) that fails with `code`, without any network. */
  const failingWith = (code: string) =>
    new SafeFetcher({
      policy: new AddressPolicy(),
      userAgent: 'test',
      resolve: async () => ['93.184.215.14'],
      connect: () => {
        const socket = new PassThrough();
        process.nextTick(() => socket.destroy(Object.assign(new Error(code), { code })));
        return socket;
      },
    });

  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false],
    ['CERT_HAS_EXPIRED', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false],
  ])('%s (retryable: %s)', async (code, retryable) => {
    expect(await failure(failingWith(code).fetch('https://site.example/', html))).toMatchObject({
      kind: 'network',
      retryable,
    });
  });
});

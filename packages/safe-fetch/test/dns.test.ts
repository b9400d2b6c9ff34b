import { lookup } from 'node:dns/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startFakeDns, startFakeWeb, type FakeDns, type FakeWeb } from '@letstalk/testing';
import { AddressPolicy, createDnsResolver, FetchError, SafeFetcher, type FetchLimits } from '../src/index.ts';

// Every name here is asked of a name server this test started on 127.0.0.1: never of a real one.
// Before c-ares (dns.lookup, i.e. getaddrinfo), measured with resolv.conf pointing at such a black hole in a
// network namespace of its own: eight hung links failed at the 5 s fetch deadline, but their lookups went on
// holding libuv's threads, and a dns.lookup('localhost') made meanwhile took 40 s.

const page: FetchLimits = {
  maxBytes: 64 * 1024,
  overflow: 'truncate',
  accepts: (type) => type === 'text/html',
  accept: 'text/html',
};
/** Short, so the tests are quick; the fetch's own deadline (5 s) is far off. */
const DNS_TIMEOUT = 300;

let web: FakeWeb;
let webPort: string;
let blackHole: FakeDns;

beforeAll(async () => {
  web = await startFakeWeb('127.0.0.1');
  webPort = new URL(web.url).port;
  blackHole = await startFakeDns('black-hole');
});
afterAll(async () => {
  await Promise.all([web.close(), blackHole.close()]);
});

const failure = (promise: Promise<unknown>) => rejectionOf(promise, FetchError);
const fetcherAsking = (dns: FakeDns, allowHosts: string[] = []) =>
  new SafeFetcher({
    policy: new AddressPolicy(allowHosts),
    userAgent: 'LetsTalk test',
    resolve: createDnsResolver({ servers: [dns.server], timeoutMs: DNS_TIMEOUT }),
  });

describe('SafeFetcher over a name server that never answers', () => {
  it('fails at the DNS timeout, says so, and stops asking', async () => {
    const started = Date.now();
    const error = await failure(fetcherAsking(blackHole).fetch('http://black-hole.example/', page));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toMatch(/^black-hole\.example could not be resolved: DNS did not answer/);
    expect(elapsed).toBeGreaterThanOrEqual(DNS_TIMEOUT - 20);
    expect(elapsed).toBeLessThan(DNS_TIMEOUT + 700);
    expect(blackHole.queries).toEqual(expect.arrayContaining(['A black-hole.example', 'AAAA black-hole.example']));
    // c-ares would ask again after about a second: the lookup was cancelled, so nothing more arrives.
    const asked = blackHole.queries.length;
    await sleep(1_500);
    expect(blackHole.queries.length).toBe(asked);
  });

  it('holds no thread of the pool: getaddrinfo still answers at once while eight lookups hang', async () => {
    const fetcher = fetcherAsking(blackHole);
    const started = Date.now();
    // libuv gives getaddrinfo at most half its pool of four threads, so with dns.lookup two hung names were
    // enough to queue every other lookup of the process (its database's, its NATS server's) behind them.
    const lookups = Array.from({ length: 8 }, (_, i) => failure(fetcher.fetch(`http://hung-${i}.example/`, page)));
    await sleep(50);
    const asking = Date.now();
    // localhost comes from /etc/hosts: no query leaves the machine.
    await lookup('localhost');
    expect(Date.now() - asking).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThan(DNS_TIMEOUT);
    for (const error of await Promise.all(lookups)) expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(DNS_TIMEOUT + 700);
  });

  it('stops asking when the fetch deadline comes first', async () => {
    const fetcher = new SafeFetcher({
      policy: new AddressPolicy(),
      userAgent: 'LetsTalk test',
      resolve: createDnsResolver({ servers: [blackHole.server], timeoutMs: 10_000 }),
    });
    const error = await failure(fetcher.fetch('http://deadline.example/', { ...page, timeoutMs: 200 }));
    expect(error).toMatchObject({ kind: 'timeout', message: 'the site took too long' });
    const asked = blackHole.queries.length;
    await sleep(1_500);
    expect(blackHole.queries.length).toBe(asked);
  });
});

describe('SafeFetcher resolves through c-ares, end to end', () => {
  let dns: FakeDns;
  beforeAll(async () => {
    dns = await startFakeDns(
      { 'site.example': ['127.0.0.1'], 'half.example': ['127.0.0.1', '::1'], 'inside.example': ['127.0.0.1'] },
      ['AAAA half.example'],
    );
  });
  afterAll(() => dns.close());

  it('fetches a page from the address the name server gave, asking for A and AAAA', async () => {
    const fetched = await fetcherAsking(dns, ['site.example']).fetch(
      `http://site.example:${webPort}/og?run=${Date.now()}`,
      page,
    );
    expect(fetched.body.toString()).toContain('og:title');
    expect(dns.queries).toEqual(expect.arrayContaining(['A site.example', 'AAAA site.example']));
  });

  it('uses the A answer when AAAA never comes, once the DNS timeout has passed', async () => {
    const started = Date.now();
    const fetched = await fetcherAsking(dns, ['half.example']).fetch(
      `http://half.example:${webPort}/title-only?run=${Date.now()}`,
      page,
    );
    expect(fetched.body.toString()).toContain('Just a title');
    expect(Date.now() - started).toBeGreaterThanOrEqual(DNS_TIMEOUT - 20);
  });

  it('refuses a name that resolves to an internal address, before connecting', async () => {
    const before = web.connections();
    expect((await failure(fetcherAsking(dns).fetch('http://inside.example/', page))).kind).toBe('policy');
    expect(web.connections()).toBe(before);
  });

  it('reports a name that does not exist as a final network failure (NXDOMAIN is an answer, not an outage)', async () => {
    const error = await failure(fetcherAsking(dns).fetch('http://nowhere.example/', page));
    expect(error).toMatchObject({ kind: 'network', retryable: false });
    expect(error.message).toContain('ENOTFOUND');
  });

  it('takes localhost to be loopback without asking anyone', async () => {
    const asked = dns.queries.length;
    const fetched = await fetcherAsking(dns, ['localhost']).fetch(
      `http://localhost:${webPort}/title-only?run=${Date.now()}`,
      page,
    );
    expect(fetched.body.toString()).toContain('Just a title');
    expect((await failure(fetcherAsking(dns).fetch('http://app.localhost/', page))).kind).toBe('policy');
    expect(dns.queries.length).toBe(asked);
  });
});

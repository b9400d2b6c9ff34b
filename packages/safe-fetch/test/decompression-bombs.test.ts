import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '@letstalk/testing';
import { AddressPolicy, FetchError, SafeFetcher, type FetchLimits } from '../src/index.ts';

// A site that answers with a decompression bomb, and a fetch that must stop inflating it the moment it settles,
// however it settles. Before the fix each case spent 235–313 ms of CPU in the 400 ms after the fetch settled
// (only the request was destroyed; the decompressor went on), and the brotli bomb at the deadline was inflated
// to its end, 256 MiB in memory, and returned after 6 s.

/** What each bomb inflates to: far more than any limit, and seconds of CPU if inflated to the end. */
const BOMB_BYTES = 256 * 1024 * 1024;
const MIB = 1024 * 1024;
/**
 * CPU the process may spend in the 400 ms after a fetch settled: its own server and garbage collection, on a
 * loaded machine (seen up to ~60 ms); the old code spent 235-313 ms inflating.
 */
const INFLATING_AFTER_SETTLE_MAX_MS = 120;

/** Zeros as gzip: one member of 1 MiB repeated (a gzip body may hold many members), ~260 KB on the wire, made in milliseconds. */
function gzipBomb(): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(MIB), { level: 9 });
  return Buffer.concat(Array.from({ length: BOMB_BYTES / MIB }, () => member));
}

/** Zeros as brotli: ~400 bytes on the wire (quality 5 makes it in well under a second). */
function brotliBomb(): Promise<Buffer> {
  const zeros = Buffer.alloc(MIB);
  const source = Readable.from(
    (function* () {
      for (let sent = 0; sent < BOMB_BYTES; sent += MIB) yield zeros;
    })(),
  );
  return buffer(source.pipe(zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })));
}

/** CPU time in ms (every thread: zlib inflates on libuv's pool) this process spends in the next `ms`. */
async function cpuDuring(ms: number): Promise<number> {
  const start = process.cpuUsage();
  await sleep(ms);
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

let server: http.Server;
let origin: string;
/** Bytes of each body as sent, by Content-Encoding. */
const bombs: Record<string, Buffer> = {};

beforeAll(async () => {
  bombs.gzip = gzipBomb();
  bombs.br = await brotliBomb();
  server = http.createServer((req, res) => {
    const encoding = new URL(req.url ?? '/', 'http://bomb.invalid').searchParams.get('encoding') ?? 'gzip';
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding }).end(bombs[encoding]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fetcher = new SafeFetcher({ policy: new AddressPolicy(['127.0.0.1']), userAgent: 'LetsTalk test' });
const page: FetchLimits = {
  maxBytes: 64 * 1024,
  overflow: 'truncate',
  accepts: (type) => type === 'text/html',
  accept: 'text/html',
};

describe('SafeFetcher stops inflating a compressed body when the fetch ends', () => {
  describe.each(['gzip', 'br'])('%s', (encoding) => {
    const url = () => `${origin}/?encoding=${encoding}&run=${Math.random().toString(36).slice(2)}`;

    it('cut at maxBytes: nothing is inflated after the fetch returns', async () => {
      const fetched = await fetcher.fetch(url(), page);
      expect(fetched).toMatchObject({ truncated: true, body: expect.objectContaining({ length: page.maxBytes }) });
      expect(await cpuDuring(400)).toBeLessThan(INFLATING_AFTER_SETTLE_MAX_MS);
    });

    it('failed as too large: nothing is inflated after the fetch fails', async () => {
      expect((await rejectionOf(fetcher.fetch(url(), { ...page, overflow: 'fail' }), FetchError)).kind).toBe(
        'too-large',
      );
      expect(await cpuDuring(400)).toBeLessThan(INFLATING_AFTER_SETTLE_MAX_MS);
    });

    it('at the deadline, still under maxBytes: nothing is inflated after the fetch fails', async () => {
      const started = Date.now();
      const error = await rejectionOf(
        fetcher.fetch(url(), { ...page, maxBytes: 2 * BOMB_BYTES, timeoutMs: 100 }),
        FetchError,
      );
      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await cpuDuring(400)).toBeLessThan(INFLATING_AFTER_SETTLE_MAX_MS);
    });
  });
});

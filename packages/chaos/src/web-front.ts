import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeWeb } from '@letstalk/testing';

/**
 * The fake web as the stack sees it, through a front that notes when each URL was requested: the fake web
 * counts paths, not pages, and every link of the load is a page of its own (`/og?run=…`).
 */
export interface WebFront {
  /** A page's URL through the front, unique as {@link FakeWeb.page} makes it. */
  page: (path: string) => string;
  /** When each request for this URL (its path and query) arrived, in order. */
  fetchesOf: (url: string) => number[];
  close: () => Promise<void>;
}

const pathOf = (url: URL) => `${url.pathname}${url.search}`;

/**
 * A front on 127.0.0.1 that passes every request on to `web` as it came (its Host header too, so the pages'
 * `og:image` URLs point back at the front) and notes its path, query and time.
 */
export async function startWebFront(web: FakeWeb): Promise<WebFront> {
  const upstream = new URL(web.url);
  const fetches = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const times = fetches.get(path) ?? [];
    times.push(Date.now());
    fetches.set(path, times);
    const onward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    onward.on('error', () => res.destroy());
    res.on('close', () => onward.destroy());
    req.pipe(onward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    page: (path) => `${origin}${pathOf(new URL(web.page(path)))}`,
    fetchesOf: (url) => fetches.get(pathOf(new URL(url))) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

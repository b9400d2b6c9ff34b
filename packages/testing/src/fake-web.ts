import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pngWithAlpha } from './test-images.ts';

/** A web site for link-preview tests: real HTTP on a loopback address, pages chosen by path. */
export interface FakeWeb {
  /** `http://<host>:<port>` */
  url: string;
  /** A page's URL, made unique (a query string the site ignores) so previews are never cached from an earlier run. */
  page: (path: string) => string;
  /** The `og:image` URL of a page of this site. */
  imageOf: (pageUrl: string) => string;
  /** Connections accepted so far. */
  connections: () => number;
  /** Paths requested so far (without their query). */
  requests: string[];
  /** The User-Agent of each request so far. */
  userAgents: string[];
  /** Bytes of page bodies written so far. */
  bytesSent: () => number;
  close: () => Promise<void>;
}

/** Bytes of the big page: five times what a preview fetch reads. */
export const BIG_PAGE_BYTES = 10 * 1024 * 1024;

/** Bytes of `/huge-image`: more than a preview image may have. */
const HUGE_IMAGE_BYTES = 6 * 1024 * 1024;

const html = (head: string, body = '<p>Hello.</p>') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

export const OPEN_GRAPH_PAGE = {
  title: 'Ferries & Fjords',
  description: 'Timetables for every ferry on the west coast, updated daily.',
  siteName: 'Coastal Travel',
};

/**
 * Pages:
 * `/og` Open Graph tags (title with an HTML entity, description, site name, `og:image` → `/image.png` with
 * the page's query, so each page has an image URL of its own: {@link FakeWeb.imageOf});
 * `/og-slow` the same after 500 ms; `/og-rotating` a page whose `og:image` is another URL at every fetch; `/twitter` Twitter card tags only; `/title-only`; `/no-title`;
 * `/gzip` a gzip-compressed page; `/big` a 10 MB page whose title comes first; `/slow-body` a head, then
 * nothing for 30 s; `/loop` redirects to itself; `/redirect?to=<url>` redirects there; `/metadata`
 * redirects to the cloud metadata address; `/json` JSON; `/image.png` a PNG; `/huge-image` a 6 MB PNG;
 * `/status/<code>` that status.
 */
export async function startFakeWeb(host = '127.0.0.1'): Promise<FakeWeb> {
  let connections = 0;
  let bytesSent = 0;
  let rotations = 0;
  const requests: string[] = [];
  const userAgents: string[] = [];
  const image = await pngWithAlpha(120, 80);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    requests.push(url.pathname);
    userAgents.push(req.headers['user-agent'] ?? '');
    const origin = `http://${req.headers.host ?? ''}`;
    const send = (status: number, type: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => {
      bytesSent += Buffer.byteLength(body);
      res.writeHead(status, { 'content-type': type, ...headers }).end(body);
    };
    const openGraph = html(
      `<title>Fallback title</title>
       <meta property="og:title" content="Ferries &amp; Fjords">
       <meta property="og:description" content="${OPEN_GRAPH_PAGE.description}">
       <meta property="og:site_name" content="${OPEN_GRAPH_PAGE.siteName}">
       <meta property="og:image" content="${origin}/image.png${url.search}">`,
    );
    switch (url.pathname) {
      case '/og':
        return send(200, 'text/html; charset=utf-8', openGraph);
      case '/og-rotating':
        // A page whose image changes at every fetch (a refresh must swap it).
        return send(
          200,
          'text/html',
          html(
            `<title>Rotating</title><meta property="og:image" content="${origin}/image.png${url.search}&v=${++rotations}">`,
          ),
        );
      case '/og-slow':
        return void setTimeout(() => send(200, 'text/html; charset=utf-8', openGraph), 500);
      case '/twitter':
        return send(
          200,
          'text/html',
          html(
            `<meta name="twitter:card" content="summary"><meta name="twitter:title" content="Card title"><meta name="twitter:description" content="Card description">`,
          ),
        );
      case '/title-only':
        return send(
          200,
          'text/html',
          html('<title>Just a title</title><meta name="description" content="Plain description">'),
        );
      case '/no-title':
        return send(200, 'text/html', html(''));
      case '/gzip':
        return send(200, 'text/html', gzipSync(html('<title>Compressed page</title>')), { 'content-encoding': 'gzip' });
      case '/big': {
        res.writeHead(200, { 'content-type': 'text/html' });
        const head = html('<title>A big page</title>', '');
        res.write(head);
        bytesSent += head.length;
        const filler = Buffer.alloc(64 * 1024, 'x');
        const more = () => {
          while (bytesSent < BIG_PAGE_BYTES) {
            bytesSent += filler.length;
            if (!res.write(filler)) return void res.once('drain', more);
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        return more();
      }
      case '/slow-body': {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<!doctype html><html><head><title>Slow');
        const timer = setTimeout(() => res.end('</title></head></html>'), 30_000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case '/loop':
        return send(302, 'text/plain', 'again', { location: `${url.pathname}${url.search}` });
      case '/redirect':
        return send(302, 'text/plain', 'elsewhere', { location: url.searchParams.get('to') ?? '/' });
      case '/metadata':
        return send(302, 'text/plain', 'metadata', { location: 'http://169.254.169.254/latest/meta-data/' });
      case '/json':
        return send(200, 'application/json', '{"title":"not a page"}');
      case '/image.png':
        return send(200, 'image/png', image);
      case '/huge-image':
        return send(200, 'image/png', Buffer.concat([image, Buffer.alloc(HUGE_IMAGE_BYTES - image.length)]));
      default: {
        const status = /^\/status\/(\d{3})$/.exec(url.pathname)?.[1];
        return send(status ? Number(status) : 404, 'text/html', html('<title>Error</title>'));
      }
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let unique = 0;
  return {
    url,
    page: (path) =>
      `${url}${path}${path.includes('?') ? '&' : '?'}run=${process.pid}-${Date.now().toString(36)}-${++unique}`,
    imageOf: (pageUrl) => `${url}/image.png${new URL(pageUrl).search}`,
    connections: () => connections,
    requests,
    userAgents,
    bytesSent: () => bytesSent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Links that must never be fetched when only 127.0.0.1 is allowed, each unique (so no cached answer stands in
 * for the check): the site on another loopback address, IPv6 loopback and `localhost`, on the site's port and
 * on the default one (where the address rule, not the port rule, refuses them), a redirect from the allowed
 * site to the other one, and the cloud metadata address.
 */
export function forbiddenLinks(allowed: FakeWeb, forbidden: FakeWeb): string[] {
  const port = new URL(forbidden.url).port;
  const run = () => `run=${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return [
    `http://127.0.0.2:${port}/og?${run()}`,
    `http://[::1]:${port}/og?${run()}`,
    `http://localhost:${port}/og?${run()}`,
    `http://127.0.0.2/og?${run()}`,
    `http://[::1]/og?${run()}`,
    `http://localhost/og?${run()}`,
    `${allowed.url}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${port}/og`)}&${run()}`,
    `http://169.254.169.254/latest/meta-data/?${run()}`,
  ];
}

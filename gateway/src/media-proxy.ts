import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { request, type Dispatcher } from 'undici';
import type { Logger } from '@letstalk/log';

/** Where image URLs point on the gateway's origin; the media subgraph serves the same path. */
export const MEDIA_ROUTE = '/media/:imageId/:variant';
/** Where file URLs point on the gateway's origin, likewise. */
export const FILES_ROUTE = '/files/:fileId';
/** Where archive URLs (`DataExport.url`) point on the gateway's origin, likewise. */
export const EXPORTS_ROUTE = '/exports/:exportId';
/** How long the media subgraph may take to start answering, and to send each next chunk of an image. */
const MEDIA_UPSTREAM_TIMEOUT_MS = 10_000;

const REQUEST_HEADERS = ['range', 'if-range', 'if-none-match'];
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'cache-control',
  'x-content-type-options',
  'content-security-policy',
  'content-disposition',
];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SIGNATURE_QUERY = '\\?expires=(\\d{1,12})&signature=([A-Za-z0-9_-]{43})$';

/**
 * The only request targets the media routes take, matched on the raw target as it arrived: an origin-form path
 * (never an absolute-form `http://host/...` target), a UUID, for an image a variant, and the two query
 * parameters of a signed URL. Nothing percent-encoded, no backslash, no dot segment can match, so nothing a URL
 * parser would resolve differently reaches the upstream URL.
 */
const SIGNED_TARGETS = [
  new RegExp(`^(/media/${UUID}/(?:thumbnail|display|original))${SIGNATURE_QUERY}`),
  new RegExp(`^(/files/${UUID})${SIGNATURE_QUERY}`),
  new RegExp(`^(/exports/${UUID})${SIGNATURE_QUERY}`),
];

/**
 * The upstream path of a signed image or file URL, rebuilt from its validated parts; undefined when the request
 * target is anything else.
 */
function signedTarget(target: string): string | undefined {
  for (const pattern of SIGNED_TARGETS) {
    const match = pattern.exec(target);
    if (match) return `${match[1]!}?expires=${match[2]!}&signature=${match[3]!}`;
  }
  return undefined;
}

/**
 * Serves signed image and file URLs on the gateway's origin by streaming them from the media subgraph, which
 * checks the signature and owns the bytes. The upstream URL is built from the validated parts on the media
 * subgraph's configured origin, never from the request target (docs/pitfalls.md: an absolute-form target
 * replaces the base URL). No sign-in: the signed URL is the permission (an `<img>` cannot send a token),
 * handed only to those who may see the image. Only the headers that matter for caching and ranges pass.
 */
export function mediaProxy(options: {
  mediaUrl: () => string | undefined;
  dispatcher: Dispatcher;
  log: Logger;
  timeoutMs?: number;
}) {
  const timeout = options.timeoutMs ?? MEDIA_UPSTREAM_TIMEOUT_MS;
  return async (req: Request, res: Response) => {
    // `req.url` as Node received it: express rewrites it when mounting, `originalUrl` is the same text.
    const path = signedTarget((req as IncomingMessage).url ?? '');
    if (!path) {
      res
        .status(404)
        .set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
        .type('text/plain')
        .end('Not found.');
      return;
    }
    const graphqlUrl = options.mediaUrl();
    if (!graphqlUrl) {
      res.status(503).type('text/plain').end('Images and files are not available.');
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const { origin } = new URL(graphqlUrl);
    const upstreamUrl = `${origin}${path}`;
    try {
      const upstream = await request(upstreamUrl, {
        method: req.method === 'HEAD' ? 'HEAD' : 'GET',
        headers,
        dispatcher: options.dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      res.status(upstream.statusCode);
      for (const name of RESPONSE_HEADERS) {
        const value = upstream.headers[name];
        if (value !== undefined) res.setHeader(name, value);
      }
      await pipeline(upstream.body, res);
    } catch (error) {
      options.log.warn({ err: error }, 'streaming from the media subgraph failed');
      if (res.headersSent) res.destroy();
      else res.status(502).type('text/plain').end('Images and files are not available right now.');
    }
  };
}

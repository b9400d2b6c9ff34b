import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { request, type Dispatcher } from 'undici';
import type { Logger } from '@letstalk/log';

/** Where image URLs point on the gateway's origin; the media subgraph serves the same path. */
export const MEDIA_ROUTE = '/media/:imageId/:variant';

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

/**
 * Serves signed image URLs on the gateway's origin by streaming them from the media subgraph, which checks
 * the signature and owns the bytes. Only the headers that matter for caching and ranges pass either way.
 */
export function mediaProxy(options: { mediaUrl: () => string | undefined; dispatcher: Dispatcher; log: Logger }) {
  return async (req: Request, res: Response) => {
    const graphqlUrl = options.mediaUrl();
    if (!graphqlUrl) {
      res.status(503).type('text/plain').end('Images are not available.');
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      const upstream = await request(new URL(req.originalUrl, graphqlUrl).toString(), {
        method: req.method === 'HEAD' ? 'HEAD' : 'GET',
        headers,
        dispatcher: options.dispatcher,
      });
      res.status(upstream.statusCode);
      for (const name of RESPONSE_HEADERS) {
        const value = upstream.headers[name];
        if (value !== undefined) res.setHeader(name, value);
      }
      await pipeline(upstream.body, res);
    } catch (error) {
      options.log.warn({ err: error }, 'streaming an image from the media subgraph failed');
      if (res.headersSent) res.destroy();
      else res.status(502).type('text/plain').end('Images are not available right now.');
    }
  };
}

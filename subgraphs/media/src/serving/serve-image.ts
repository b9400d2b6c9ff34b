import type { Request, Response } from 'express';
import { eq } from 'drizzle-orm';
import type { MediaDb } from '../data/tables.ts';
import { images } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { variantKey } from '../worker/image-worker.ts';
import { verifyImageRequest, type ImageVariant } from './signed-url.ts';

const CONTENT_TYPE: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heif: 'image/heif',
};

const VARIANT_FILE = { ORIGINAL: 'original', DISPLAY: 'display', THUMBNAIL: 'thumbnail' } as const satisfies Record<
  ImageVariant,
  string
>;

function refuse(res: Response, status: number, message: string) {
  res
    .status(status)
    .set({
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .end(message);
}

/**
 * `GET /media/<imageId>/<variant>?expires=&signature=`: the bytes of a READY image's variant (all of them
 * made by the worker: upright, without metadata), for whoever holds a URL the media subgraph signed (it hands URLs only to those who may see the image). A bad or
 * expired signature is 403. Responses are cacheable until the URL expires (the content under a key never
 * changes), carry a strong ETag, answer range requests, and tell the browser not to sniff or run anything.
 */
export function imageRoute(options: { db: MediaDb; storage: Storage; secret: string }) {
  return async (req: Request, res: Response) => {
    const url = new URL(req.originalUrl, 'http://media.invalid');
    const asked = verifyImageRequest({ secret: options.secret, path: url.pathname, query: url.searchParams });
    if (!asked) return refuse(res, 403, 'This link is invalid or has expired.');
    const [image] = await options.db.select().from(images).where(eq(images.id, asked.imageId));
    if (!image || image.status !== 'READY') return refuse(res, 404, 'No such image.');
    // ORIGINAL is the cleaned copy the worker made, never what was uploaded (which kept its location).
    const key = variantKey(image.originalKey, VARIANT_FILE[asked.variant]);
    const stored = await options.storage.head(key);
    if (!stored) return refuse(res, 404, 'No such image.');

    const etag = `"${key}"`;
    const maxAge = Math.max(0, asked.expires - Math.floor(Date.now() / 1000));
    res.set({
      'content-type':
        asked.variant === 'ORIGINAL' ? (CONTENT_TYPE[image.format] ?? 'application/octet-stream') : 'image/webp',
      'cache-control': `private, max-age=${maxAge}, immutable`,
      etag,
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': 'inline',
    });
    if (req.headers['if-none-match'] === etag) return res.status(304).end();

    const ranges = req.headers.range ? req.range(stored.size) : undefined;
    if (ranges === -1) {
      res.set('content-range', `bytes */${stored.size}`);
      return refuse(res, 416, 'Range not satisfiable.');
    }
    const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0]! : undefined;
    const body = await options.storage.read(key, range);
    if (!body) return refuse(res, 404, 'No such image.');
    if (range) {
      res.status(206).set({
        'content-range': `bytes ${range.start}-${range.end}/${stored.size}`,
        'content-length': String(range.end - range.start + 1),
      });
    } else {
      res.status(200).set('content-length', String(stored.size));
    }
    body.on('error', () => res.destroy());
    body.pipe(res);
  };
}

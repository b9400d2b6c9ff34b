import type { Request, Response } from 'express';
import type { Storage } from '../storage/storage.ts';

/** Answers with a plain-text refusal that no cache keeps and no browser sniffs. */
export function refuse(res: Response, status: number, message: string) {
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
 * Sends a stored object for a signed URL that expires at `expires` (unix seconds): cacheable privately until
 * then (the content under a key never changes), with a strong ETag, answering a single range request, and
 * with `headers` (its type and disposition). Nothing a browser may sniff or run: nosniff and a sandbox policy.
 * 404 (`missing`) when the store has no such object.
 */
export async function sendStored(
  req: Request,
  res: Response,
  options: { storage: Storage; key: string; expires: number; headers: Record<string, string>; missing: string },
) {
  const { storage, key } = options;
  const stored = await storage.head(key);
  if (!stored) return refuse(res, 404, options.missing);
  const etag = `"${key}"`;
  const maxAge = Math.max(0, options.expires - Math.floor(Date.now() / 1000));
  res.set({
    ...options.headers,
    'cache-control': `private, max-age=${maxAge}, immutable`,
    etag,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  });
  if (req.headers['if-none-match'] === etag) return res.status(304).end();

  const ranges = req.headers.range ? req.range(stored.size) : undefined;
  if (ranges === -1) {
    res.set('content-range', `bytes */${stored.size}`);
    return refuse(res, 416, 'Range not satisfiable.');
  }
  const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0]! : undefined;
  const body = await storage.read(key, range);
  if (!body) return refuse(res, 404, options.missing);
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
}

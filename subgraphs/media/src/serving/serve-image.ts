import type { Request, Response } from 'express';
import { eq } from 'drizzle-orm';
import type { MediaDb } from '../data/tables.ts';
import { images } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { variantKey } from '../worker/image-worker.ts';
import { refuse, sendStored } from './send-stored.ts';
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

/**
 * `GET /media/<imageId>/<variant>?expires=&signature=`: the bytes of a READY image's variant (all of them
 * made by the worker: upright, without metadata), for whoever holds a URL the media subgraph signed (it hands
 * URLs only to those who may see the image), shown inline ({@link sendStored}). A bad or expired signature is 403.
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
    return sendStored(req, res, {
      storage: options.storage,
      key,
      expires: asked.expires,
      headers: {
        'content-type':
          asked.variant === 'ORIGINAL' ? (CONTENT_TYPE[image.format] ?? 'application/octet-stream') : 'image/webp',
        'content-disposition': 'inline',
      },
      missing: 'No such image.',
    });
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';

export type ImageVariant = 'THUMBNAIL' | 'DISPLAY' | 'ORIGINAL';

/** Where image URLs point: `<public origin>/media/<imageId>/<variant>?expires=<unix s>&signature=<hmac>`. */
export const MEDIA_PATH = '/media';
/** A URL stays valid at least this long after it is handed out. */
export const IMAGE_URL_TTL_SECONDS = 60 * 60;

const PATH_SEGMENT = { THUMBNAIL: 'thumbnail', DISPLAY: 'display', ORIGINAL: 'original' } as const satisfies Record<
  ImageVariant,
  string
>;
const VARIANT_OF = Object.fromEntries(
  Object.entries(PATH_SEGMENT).map(([variant, segment]) => [segment, variant]),
) as Record<string, ImageVariant>;

const sign = (secret: string, imageId: string, segment: string, expires: number) =>
  createHmac('sha256', secret).update(`${imageId}\n${segment}\n${expires}`).digest('base64url');

/**
 * A signed, expiring URL of one variant. The expiry is rounded up to the next multiple of the TTL, so
 * everyone asking within one window gets the same URL and browsers cache it.
 */
export function signedImageUrl(options: {
  origin: string;
  secret: string;
  imageId: string;
  variant: ImageVariant;
  now?: number;
}): string {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const expires = (Math.floor(now / IMAGE_URL_TTL_SECONDS) + 2) * IMAGE_URL_TTL_SECONDS;
  const segment = PATH_SEGMENT[options.variant];
  const signature = sign(options.secret, options.imageId, segment, expires);
  return `${options.origin.replace(/\/$/, '')}${MEDIA_PATH}/${options.imageId}/${segment}?expires=${expires}&signature=${signature}`;
}

/** What a request for an image asks for, when its signature holds and it has not expired; undefined otherwise. */
export function verifyImageRequest(options: {
  secret: string;
  path: string;
  query: URLSearchParams;
  now?: number;
}): { imageId: string; variant: ImageVariant; expires: number } | undefined {
  const match = /^\/media\/([0-9a-f-]{36})\/([a-z]+)$/.exec(options.path);
  const variant = match ? VARIANT_OF[match[2]!] : undefined;
  const expires = Number(options.query.get('expires'));
  const signature = options.query.get('signature') ?? '';
  if (!match || !variant || !Number.isSafeInteger(expires)) return undefined;
  if (expires * 1000 <= (options.now ?? Date.now())) return undefined;
  const expected = Buffer.from(sign(options.secret, match[1]!, match[2]!, expires));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { imageId: match[1]!, variant, expires };
}

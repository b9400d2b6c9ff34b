import { createHmac, timingSafeEqual } from 'node:crypto';

export type ImageVariant = 'THUMBNAIL' | 'DISPLAY' | 'ORIGINAL';

/** Where image URLs point: `<public origin>/media/<imageId>/<variant>?expires=<unix s>&signature=<hmac>`. */
export const MEDIA_PATH = '/media';
/** Where file URLs point: `<public origin>/files/<fileId>?expires=<unix s>&signature=<hmac>`. */
export const FILES_PATH = '/files';
/** What a file's signature covers in place of a variant: no image URL's signature is a file's. */
const FILE_SEGMENT = 'file';
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
 * When a URL handed out at `now` (ms) expires, in unix seconds: rounded up to the next multiple of the TTL, so
 * everyone asking within one window gets the same URL and browsers cache it.
 */
const expiryFor = (now: number) =>
  (Math.floor(Math.floor(now / 1000) / IMAGE_URL_TTL_SECONDS) + 2) * IMAGE_URL_TTL_SECONDS;

/** Whether `signature` is the one of `id`, `segment` and `expires`, and `expires` is still ahead. */
function signatureHolds(secret: string, id: string, segment: string, expires: number, signature: string, now: number) {
  if (!Number.isSafeInteger(expires) || expires * 1000 <= now) return false;
  const expected = Buffer.from(sign(secret, id, segment, expires));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A signed, expiring URL of one variant of an image ({@link expiryFor}). */
export function signedImageUrl(options: {
  origin: string;
  secret: string;
  imageId: string;
  variant: ImageVariant;
  now?: number;
}): string {
  const expires = expiryFor(options.now ?? Date.now());
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
  if (!match || !variant) return undefined;
  if (!signatureHolds(options.secret, match[1]!, match[2]!, expires, signature, options.now ?? Date.now()))
    return undefined;
  return { imageId: match[1]!, variant, expires };
}

/** The downloads signed URLs lead to besides images: where each is, and what its signature covers. */
const DOWNLOADS = {
  file: { path: FILES_PATH, segment: FILE_SEGMENT },
  export: { path: '/exports', segment: 'export' },
} as const;
type Download = keyof typeof DOWNLOADS;

/** Where archive URLs (`DataExport.url`) point: `<public origin>/exports/<exportId>?expires=<unix s>&signature=<hmac>`. */
export const EXPORTS_PATH = DOWNLOADS.export.path;

/** A signed, expiring download URL of a file or an archive ({@link expiryFor}). */
function signedDownloadUrl(kind: Download, options: { origin: string; secret: string; id: string; now?: number }) {
  const { path, segment } = DOWNLOADS[kind];
  const expires = expiryFor(options.now ?? Date.now());
  const signature = sign(options.secret, options.id, segment, expires);
  return `${options.origin.replace(/\/$/, '')}${path}/${options.id}?expires=${expires}&signature=${signature}`;
}

/** What a download request asks for, when its signature holds and it has not expired; undefined otherwise. */
function verifyDownloadRequest(
  kind: Download,
  options: { secret: string; path: string; query: URLSearchParams; now?: number },
): { id: string; expires: number } | undefined {
  const { path, segment } = DOWNLOADS[kind];
  const match = new RegExp(`^${path}/([0-9a-f-]{36})$`).exec(options.path);
  const expires = Number(options.query.get('expires'));
  const signature = options.query.get('signature') ?? '';
  if (!match) return undefined;
  if (!signatureHolds(options.secret, match[1]!, segment, expires, signature, options.now ?? Date.now()))
    return undefined;
  return { id: match[1]!, expires };
}

/** A signed, expiring download URL of a file ({@link expiryFor}). */
export const signedFileUrl = (options: { origin: string; secret: string; fileId: string; now?: number }) =>
  signedDownloadUrl('file', { ...options, id: options.fileId });

/** What a request for a file asks for, when its signature holds and it has not expired; undefined otherwise. */
export function verifyFileRequest(options: { secret: string; path: string; query: URLSearchParams; now?: number }) {
  const asked = verifyDownloadRequest('file', options);
  return asked && { fileId: asked.id, expires: asked.expires };
}

/** A signed, expiring download URL of an archive (`DataExport.url`). */
export const signedExportUrl = (options: { origin: string; secret: string; exportId: string; now?: number }) =>
  signedDownloadUrl('export', { ...options, id: options.exportId });

/** What a request for an archive asks for, when its signature holds and it has not expired; undefined otherwise. */
export function verifyExportRequest(options: { secret: string; path: string; query: URLSearchParams; now?: number }) {
  const asked = verifyDownloadRequest('export', options);
  return asked && { exportId: asked.id, expires: asked.expires };
}

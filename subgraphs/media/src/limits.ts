/** Every input limit of the media subgraph, in one place (documented in the README). */

/** Bytes of one uploaded image (`uploadImage`). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/**
 * Bytes of one file uploaded with `uploadFile`, by default (MEDIA_MAX_FILE_BYTES sets it; the gateway's
 * GATEWAY_MAX_UPLOAD_BYTES must be at least as large). The multipart parser stops reading past the larger of the
 * two limits, and each mutation checks its own.
 */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Largest MEDIA_MAX_FILE_BYTES: a file's size is a GraphQL Int (`FileAttachment.size`). */
export const MAX_FILE_BYTES_CEILING = 2 ** 31 - 1;
/** Characters (code points) of a file's name as kept; a longer one is cut, keeping its extension. */
export const MAX_FILE_NAME_LENGTH = 200;
/** Files in one upload request. */
export const MAX_UPLOAD_FILES = 1;
/** Pixels of an image (width × height × frames): a few-KB file can declare a 20,000 × 20,000 bitmap. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Uploads one person may make per minute, across all instances. */
export const UPLOADS_PER_USER_PER_MINUTE = 30;
/** Formats accepted, as sharp names them after reading the bytes (the file name and client type are ignored). */
export const ACCEPTED_IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'heif'] as const;
/** Bytes of a link preview's image (a page's og:image) the worker downloads; a larger one is not used. */
export const MAX_PREVIEW_IMAGE_BYTES = 5 * 1024 * 1024;
/** Bytes one person may upload per 24 hours (a window that starts with their first upload), across instances. */
export const UPLOAD_BYTES_PER_USER_PER_DAY = 500 * 1024 * 1024;
/** Bytes of uploads one person may have stored at once; deleted images stop counting. */
export const UPLOAD_BYTES_PER_USER_TOTAL = 5 * 1024 * 1024 * 1024;
/** Archives (`exportMyData`) one person may ask for per 24 hours; one that failed does not count. */
export const DATA_EXPORTS_PER_USER_PER_DAY = 2;
/** How long a ready archive can be downloaded before it is deleted. */
export const DATA_EXPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * An archive not ready an hour after it was asked for fails (a part never came); it can be asked for again. Shared
 * with the sources, which do not answer an older request.
 */
export { DATA_EXPORT_TIMEOUT_MS } from '@letstalk/events';
/** Archives `dataExports` lists, newest first. */
export const DATA_EXPORTS_LISTED = 10;

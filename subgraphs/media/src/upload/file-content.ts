import { lookup } from 'mime-types';
import { MAX_FILE_NAME_LENGTH } from '../limits.ts';

/** What a file is served as when nothing safer is known, and in place of every dangerous type. */
export const OPAQUE_CONTENT_TYPE = 'application/octet-stream';

/**
 * The types a file is served as when its bytes or name say so: pictures, sound and video, PDF, plain text and
 * tables, archives and office documents. Every other type, whatever it is (a page, a script, a style sheet, SVG, a
 * program or installer, a browser extension, a help file, a shortcut), is served as application/octet-stream:
 * an allowlist, so a type nobody thought of is opaque too. Matched on the type without parameters.
 */
const SERVED_CONTENT_TYPES: readonly RegExp[] = [
  /^image\/(?:png|jpeg|gif|webp|avif|heic|heif|bmp|tiff)$/,
  /^audio\/(?:mpeg|mp4|aac|ogg|opus|wav|x-wav|webm|flac|x-flac|x-m4a)$/,
  /^video\/(?:mp4|mpeg|ogg|webm|quicktime|x-matroska|x-msvideo|3gpp)$/,
  /^application\/pdf$/,
  /^text\/(?:plain|csv|markdown|tab-separated-values|calendar|vcard)$/,
  /^application\/(?:zip|gzip|x-gzip|x-tar|x-7z-compressed|vnd\.rar|x-rar-compressed|x-bzip2|x-xz|zstd)$/,
  /^application\/(?:msword|vnd\.ms-excel|vnd\.ms-powerpoint|rtf|epub\+zip)$/,
  /^application\/vnd\.openxmlformats-officedocument\.(?:wordprocessingml\.document|spreadsheetml\.sheet|presentationml\.presentation)$/,
  /^application\/vnd\.oasis\.opendocument\.(?:text|spreadsheet|presentation|graphics)$/,
];

/** A content type's essence: lower case, no parameters. */
const essence = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/** A type header value cannot be broken by: `type/subtype` of token characters. */
const WELL_FORMED_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * What a file is served as: the type its bytes show (`sniffed`, from file-type) when they show one, else the
 * type its name's extension stands for, when that is one of {@link SERVED_CONTENT_TYPES}; else
 * application/octet-stream. The type the uploading client declared is never used.
 */
export function servedContentType(sniffed: string | undefined, name: string): string {
  const type = essence(sniffed ?? (lookup(name) || OPAQUE_CONTENT_TYPE));
  if (!WELL_FORMED_TYPE.test(type) || type.length > 127) return OPAQUE_CONTENT_TYPE;
  return SERVED_CONTENT_TYPES.some((pattern) => pattern.test(type)) ? type : OPAQUE_CONTENT_TYPE;
}

/** Control characters, and format characters (bidirectional overrides make `gpj.exe` read as `exe.jpg`). */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A file name safe to keep and to send back: the last segment of whatever path the client sent, NFC,
 * without control or format characters, whitespace collapsed and trimmed (leading dots too), at most
 * {@link MAX_FILE_NAME_LENGTH} code points (a longer name is cut before its extension); "file" when nothing is left.
 */
export function fileNameOf(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const name = base.normalize('NFC').replace(/\s+/gu, ' ').replace(INVISIBLE, '').trim().replace(/^\.+/, '').trim();
  const points = [...name];
  if (points.length === 0) return 'file';
  if (points.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  const keep = extension.length > 0 && extension.length <= 16 ? extension : [];
  return [...points.slice(0, MAX_FILE_NAME_LENGTH - keep.length), ...keep].join('');
}

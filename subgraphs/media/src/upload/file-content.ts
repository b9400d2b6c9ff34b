import { lookup } from 'mime-types';
import { MAX_FILE_NAME_LENGTH } from '../limits.ts';

/** What a file is served as when nothing safer is known, and in place of every dangerous type. */
export const OPAQUE_CONTENT_TYPE = 'application/octet-stream';

/**
 * Types a browser renders as a page, runs, or styles a page with, and programs: a file of one of these is served
 * as application/octet-stream, whatever the headers around it (attachment, nosniff, a sandbox policy) already
 * prevent. Matched on the type without parameters.
 */
const DANGEROUS_CONTENT_TYPES: readonly RegExp[] = [
  /html/, // text/html, application/xhtml+xml, message/… with HTML
  /xml/, // XML can carry XSLT and XHTML; SVG is image/svg+xml
  /svg/,
  /script/, // application/javascript, text/javascript, application/x-sh…
  /^text\/css$/,
  /^application\/(?:x-shockwave-flash|java-archive|x-java-jnlp-file|wasm)$/,
  // Programs and installers: no browser runs them, but a download marked as one is opened more readily.
  /^application\/(?:x-msdownload|x-msdos-program|vnd\.microsoft\.portable-executable|x-ms-installer|x-msi|x-executable|x-elf|x-mach-binary|x-apple-diskimage|x-bat|x-csh|x-sh|vnd\.android\.package-archive)$/,
  /^multipart\//,
  /^message\//, // message/rfc822 opens as MHTML in some browsers
];

/** A content type's essence: lower case, no parameters. */
const essence = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/** A type header value cannot be broken by: `type/subtype` of token characters. */
const WELL_FORMED_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * What a file is served as: the type its bytes show (`sniffed`, from file-type) when they show one, else the
 * type its name's extension stands for; application/octet-stream when neither is known, and for every
 * {@link DANGEROUS_CONTENT_TYPES}. The type the uploading client declared is never used.
 */
export function servedContentType(sniffed: string | undefined, name: string): string {
  const type = essence(sniffed ?? (lookup(name) || OPAQUE_CONTENT_TYPE));
  if (!WELL_FORMED_TYPE.test(type) || type.length > 127) return OPAQUE_CONTENT_TYPE;
  return DANGEROUS_CONTENT_TYPES.some((pattern) => pattern.test(type)) ? OPAQUE_CONTENT_TYPE : type;
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

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Upload } from 'graphql-upload-minimal';
import { openUpload } from '@letstalk/server';

/**
 * Largest file the gateway passes on by default (GATEWAY_MAX_UPLOAD_BYTES): the media subgraph's default limit of
 * a file (MEDIA_MAX_FILE_BYTES), the largest upload it takes. It checks each upload against its own limit again
 * (20 MiB an image); this one only stops an oversized upload at the door.
 */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Files in one request. */
export const MAX_UPLOAD_FILES = 1;

/** Where a variable holds a file of the incoming multipart request (`variables.file`, ...). */
export function findUploads(value: unknown, path = 'variables'): { path: string; upload: Upload }[] {
  if (value instanceof Upload) return [{ path, upload: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => findUploads(item, `${path}.${index}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findUploads(item, `${path}.${key}`));
  }
  return [];
}

/** A copy of `value` with every file replaced by null, as the multipart spec's `operations` wants. */
function withoutUploads(value: unknown): unknown {
  if (value instanceof Upload) return null;
  if (Array.isArray(value)) return value.map(withoutUploads);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutUploads(item)]));
  return value;
}

/** A header value that cannot break out of its quotes or line. */
const quoted = (text: string) => `"${text.replace(/["\\\r\n]/g, '_')}"`;

/**
 * A GraphQL multipart request for a subgraph, made from an operation whose variables hold the files of
 * the client's own multipart request: the files are streamed through (never held in memory) and counted
 * again, so a file cut at the gateway's limit fails with PAYLOAD_TOO_LARGE instead of going on short.
 */
export function multipartRequest(
  operation: {
    query: string;
    variables: Record<string, unknown>;
    operationName?: string;
  },
  maxFileBytes = MAX_UPLOAD_BYTES,
) {
  const uploads = findUploads(operation.variables);
  const boundary = `----LetsTalk${randomBytes(16).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`;
  let failure: unknown;
  async function* parts(): AsyncGenerator<Buffer | string> {
    try {
      yield* fields();
    } catch (error) {
      failure = error;
      throw error;
    }
  }
  async function* fields(): AsyncGenerator<Buffer | string> {
    yield field('operations', JSON.stringify({ ...operation, variables: withoutUploads(operation.variables) }));
    yield field(
      'map',
      JSON.stringify(Object.fromEntries(uploads.map((entry, index) => [String(index), [entry.path]]))),
    );
    for (const [index, entry] of uploads.entries()) {
      const { filename, mimetype, stream } = await openUpload(entry.upload.promise, maxFileBytes);
      yield `--${boundary}\r\nContent-Disposition: form-data; name="${index}"; filename=${quoted(filename)}\r\nContent-Type: ${mimetype.replace(/[\r\n]/g, '')}\r\n\r\n`;
      for await (const chunk of stream) yield chunk as Buffer;
      yield '\r\n';
    }
    yield `--${boundary}--\r\n`;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Readable.from(parts()),
    /** Why the body could not be sent (a file too large, a broken upload), once sending failed. */
    failure: () => failure,
  };
}

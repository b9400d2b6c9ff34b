import { PassThrough, type Readable } from 'node:stream';
import type { GraphQLError } from 'graphql';
import type { FileUpload } from 'graphql-upload-minimal';
import { appError, badUserInput } from '@letstalk/errors';

export type { FileUpload };

const tooLarge = (maxBytes: number) =>
  appError('PAYLOAD_TOO_LARGE', `A file has at most ${maxBytes} bytes.`, { maxBytes });

/** An upload's failure as a client error: over the size limit, or a broken request. */
function uploadError(error: unknown, maxBytes: number) {
  if ((error as { status?: number }).status === 413) return tooLarge(maxBytes);
  return badUserInput(`The file could not be read: ${(error as Error).message ?? 'unreadable'}.`, 'file');
}

/**
 * Opens an uploaded file (an `Upload` argument) as a stream that errors with PAYLOAD_TOO_LARGE once more
 * than `maxBytes` arrive. The multipart parser, at its own limit, may simply end the file early; that
 * counts as too large too, so a cut file is never taken for a whole one.
 */
export async function openUpload(
  file: Promise<FileUpload>,
  maxBytes: number,
): Promise<{ filename: string; mimetype: string; stream: Readable }> {
  let upload: FileUpload;
  let source: Readable;
  try {
    upload = await file;
    source = upload.createReadStream();
  } catch (error) {
    throw uploadError(error, maxBytes);
  }
  // Read through 'data' events, not pipe(): at its limit graphql-upload-minimal unpipes the file stream,
  // which would leave the rest of the request unread and the response never sent.
  const counted = new PassThrough();
  let bytes = 0;
  let failed = false;
  const fail = (error: GraphQLError) => {
    failed = true;
    counted.destroy(error);
  };
  source.on('data', (chunk: Buffer) => {
    if (failed) return; // drained and dropped, so the request still reaches its end
    bytes += chunk.length;
    if (bytes > maxBytes) fail(tooLarge(maxBytes));
    else if (!counted.write(chunk)) source.pause();
  });
  counted.on('drain', () => source.resume());
  source.once('end', () => {
    if (failed) return;
    if ((source as Readable & { truncated?: boolean }).truncated) fail(tooLarge(maxBytes));
    else counted.end();
  });
  source.once('error', (error) => fail(uploadError(error, maxBytes)));
  // A reader that gives up (not an image, say) leaves the rest of the file to be drained.
  counted.once('close', () => {
    if (source.readableEnded) return;
    failed = true;
    source.resume();
  });
  return { filename: upload.filename, mimetype: upload.mimetype, stream: counted };
}

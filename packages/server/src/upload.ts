import { Transform, type Readable } from 'node:stream';
import type { FileUpload } from 'graphql-upload-minimal';
import { appError, badUserInput } from '@letstalk/errors';

export type { FileUpload };

const tooLarge = (maxBytes: number) => appError('PAYLOAD_TOO_LARGE', `A file has at most ${maxBytes} bytes.`, { maxBytes });

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
export async function openUpload(file: Promise<FileUpload>, maxBytes: number): Promise<{ filename: string; mimetype: string; stream: Readable }> {
  let upload: FileUpload;
  let source: Readable;
  try {
    upload = await file;
    source = upload.createReadStream();
  } catch (error) {
    throw uploadError(error, maxBytes);
  }
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
    flush(done) {
      done((source as Readable & { truncated?: boolean }).truncated ? tooLarge(maxBytes) : null);
    },
  });
  source.once('error', (error) => counted.destroy(uploadError(error, maxBytes)));
  source.pipe(counted);
  return { filename: upload.filename, mimetype: upload.mimetype, stream: counted };
}

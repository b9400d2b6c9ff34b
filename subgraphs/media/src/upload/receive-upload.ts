import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badUserInput } from '@letstalk/errors';
import { openUpload, type FileUpload } from '@letstalk/server';

/** An uploaded file on local disk: its content hash (the storage key it is kept under), size and given name. */
export interface ReceivedUpload {
  path: string;
  /** The SHA-256 of its bytes, in hex. */
  key: string;
  bytes: number;
  /** The file name the client sent, unchecked. */
  filename: string;
  /** Removes the temporary file. */
  discard: () => Promise<void>;
}

/**
 * Streams an upload to a temporary file in `tempDir` while hashing and counting it: PAYLOAD_TOO_LARGE past
 * `maxBytes` (openUpload), BAD_USER_INPUT when empty. Nothing is kept on failure.
 */
export async function receiveUpload(
  file: Promise<FileUpload>,
  tempDir: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  const { stream, filename } = await openUpload(file, maxBytes);
  await mkdir(tempDir, { recursive: true });
  const path = join(tempDir, `${randomUUID()}.upload`);
  const discard = () => rm(path, { force: true });
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(stream, hashing, createWriteStream(path));
    if (bytes === 0) throw badUserInput('The file is empty.', 'file');
    return { path, key: hash.digest('hex'), bytes, filename, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

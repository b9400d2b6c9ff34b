import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { appError, badUserInput } from '@letstalk/errors';
import { openUpload, type FileUpload } from '@letstalk/server';
import { ACCEPTED_IMAGE_FORMATS, MAX_IMAGE_PIXELS, MAX_UPLOAD_BYTES } from '../limits.ts';

export type ImageFormat = (typeof ACCEPTED_IMAGE_FORMATS)[number];

/** Signatures (file-type's names) that may be handed to sharp: never SVG, TIFF, PDF or anything else. */
const SNIFFED = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/avif',
]);

/** An uploaded file on local disk, checked: its content hash, size and image format. */
export interface ReceivedImage {
  path: string;
  key: string;
  bytes: number;
  format: ImageFormat;
  /** Removes the temporary file. */
  discard: () => Promise<void>;
}

const unsupported = () =>
  badUserInput(
    `Not a supported image: send ${ACCEPTED_IMAGE_FORMATS.map((format) => format.toUpperCase()).join(', ')} (AVIF counts as HEIF).`,
    'file',
  );

/**
 * What an image file (on disk, or bytes in memory) is: the signature first (file-type), then sharp's
 * reading of the header, whose dimensions must stay within MAX_IMAGE_PIXELS. Nothing is decoded: a
 * decompression bomb is refused from its header. Throws BAD_USER_INPUT or PAYLOAD_TOO_LARGE.
 */
export async function inspectImage(input: string | Buffer): Promise<ImageFormat> {
  const sniffed = typeof input === 'string' ? await fileTypeFromFile(input) : await fileTypeFromBuffer(input);
  if (!sniffed || !SNIFFED.has(sniffed.mime)) throw unsupported();
  const metadata = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw unsupported();
    });
  const format = metadata.format as string;
  if (!(ACCEPTED_IMAGE_FORMATS as readonly string[]).includes(format)) throw unsupported();
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0) * Math.max(1, metadata.pages ?? 1);
  if (pixels === 0) throw unsupported();
  if (pixels > MAX_IMAGE_PIXELS) {
    throw appError(
      'PAYLOAD_TOO_LARGE',
      `An image has at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels (all frames together).`,
      {
        maxPixels: MAX_IMAGE_PIXELS,
      },
    );
  }
  return format as ImageFormat;
}

/**
 * Streams an upload to a temporary file while hashing and counting it (PAYLOAD_TOO_LARGE past
 * MAX_UPLOAD_BYTES), then checks what the bytes are ({@link inspectImage}).
 */
export async function receiveImage(file: Promise<FileUpload>, tempDir: string): Promise<ReceivedImage> {
  const { stream } = await openUpload(file, MAX_UPLOAD_BYTES);
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
    const format = await inspectImage(path);
    return { path, key: hash.digest('hex'), bytes, format, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

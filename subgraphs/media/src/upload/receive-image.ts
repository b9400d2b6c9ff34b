import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { appError, badUserInput } from '@letstalk/errors';
import type { FileUpload } from '@letstalk/server';
import { ACCEPTED_IMAGE_FORMATS, MAX_IMAGE_PIXELS, MAX_UPLOAD_BYTES } from '../limits.ts';
import { receiveUpload, type ReceivedUpload } from './receive-upload.ts';

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

/** An uploaded image on local disk, checked: its content hash, size and image format. */
export interface ReceivedImage extends ReceivedUpload {
  format: ImageFormat;
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
  const received = await receiveUpload(file, tempDir, MAX_UPLOAD_BYTES);
  try {
    const format = await inspectImage(received.path);
    return { ...received, format };
  } catch (error) {
    await received.discard();
    throw error;
  }
}

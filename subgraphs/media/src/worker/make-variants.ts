import sharp from 'sharp';
import { MAX_IMAGE_PIXELS } from '../limits.ts';

/** The thumbnail fits inside this square; never enlarged. */
export const THUMBNAIL_SIZE = 512;
/** The display size fits inside this square; never enlarged. */
export const DISPLAY_SIZE = 1600;
/** WebP quality of both variants. */
export const WEBP_QUALITY = 80;

export interface Variant {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface Variants {
  /** Of the upright original (EXIF orientation applied), one frame of it. */
  width: number;
  height: number;
  thumbnail: Variant;
  display: Variant;
}

/** An image sharp refuses to decode (corrupt, truncated): processing it again cannot help. */
export class UnreadableImageError extends Error {}

async function variant(original: Buffer, size: number): Promise<Variant> {
  // rotate() applies the EXIF orientation; the output carries no metadata (sharp drops it unless asked).
  const { data, info } = await sharp(original, { animated: true, limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: WEBP_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
}

/**
 * The thumbnail and display size of an original, as WebP (animated when the original is), upright and
 * without metadata. The pixel limit applies again here: the worker never trusts what the upload checked.
 */
export async function makeVariants(original: Buffer): Promise<Variants> {
  try {
    const metadata = await sharp(original, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    const [thumbnail, display] = [await variant(original, THUMBNAIL_SIZE), await variant(original, DISPLAY_SIZE)];
    const frameHeight = metadata.pageHeight ?? metadata.height ?? 0;
    // Orientations 5 to 8 turn the image a quarter: width and height swap.
    const quarterTurn = (metadata.orientation ?? 1) >= 5;
    return {
      width: quarterTurn ? frameHeight : (metadata.width ?? 0),
      height: quarterTurn ? (metadata.width ?? 0) : frameHeight,
      thumbnail,
      display,
    };
  } catch (error) {
    throw new UnreadableImageError(`The image could not be read: ${(error as Error).message.split('\n')[0]}`);
  }
}

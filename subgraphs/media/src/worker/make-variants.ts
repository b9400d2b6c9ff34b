import sharp, { type Metadata, type Sharp } from 'sharp';
import { MAX_IMAGE_PIXELS } from '../limits.ts';

/** The thumbnail fits inside this square; never enlarged. */
export const THUMBNAIL_SIZE = 512;
/** The display size fits inside this square; never enlarged. */
export const DISPLAY_SIZE = 1600;
/** WebP quality of both variants. */
const WEBP_QUALITY = 80;
/** JPEG and WebP quality of the cleaned original: about what a camera writes, so re-writing it loses little. */
const ORIGINAL_QUALITY = 90;

interface Variant {
  bytes: Buffer;
  width: number;
  height: number;
}

/** What the cleaned original is written as: the upload's format, but JPEG (or PNG) for HEIF/AVIF. */
type OriginalFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export interface Variants {
  /** Of the upright original (EXIF orientation applied), one frame of it. */
  width: number;
  height: number;
  /**
   * The upload re-written at full size: upright, its colour profile kept, and nothing else of what it
   * carried (no EXIF, XMP or IPTC: no location, no camera), so it is what `ORIGINAL` serves.
   */
  original: Variant & { format: OriginalFormat };
  thumbnail: Variant;
  display: Variant;
}

/** An image sharp refuses to decode (corrupt, truncated): processing it again cannot help. */
export class UnreadableImageError extends Error {}

/**
 * The decoded upload, upright. sharp writes no metadata unless asked: only the ICC profile is asked for,
 * so colours look the same (a Display P3 photo stays P3) and EXIF, XMP and IPTC are left behind.
 */
const upright = (input: Buffer): Sharp =>
  sharp(input, { animated: true, limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate().keepIccProfile();

async function variant(input: Buffer, size: number): Promise<Variant> {
  const { data, info } = await upright(input)
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: WEBP_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
}

/**
 * The upload in its own format, re-encoded: browsers show every one of them but HEIF, whose original
 * becomes JPEG (PNG when it has transparency). A GIF keeps its palette where it can.
 */
function encodeOriginal(pipeline: Sharp, metadata: Metadata): { pipeline: Sharp; format: OriginalFormat } {
  switch (metadata.format) {
    case 'jpeg':
      return { pipeline: pipeline.jpeg({ quality: ORIGINAL_QUALITY }), format: 'jpeg' };
    case 'png':
      return { pipeline: pipeline.png({ palette: metadata.isPalette === true }), format: 'png' };
    case 'webp':
      return { pipeline: pipeline.webp({ quality: ORIGINAL_QUALITY }), format: 'webp' };
    case 'gif':
      return { pipeline: pipeline.gif(), format: 'gif' };
    default:
      return metadata.hasAlpha
        ? { pipeline: pipeline.png(), format: 'png' }
        : { pipeline: pipeline.jpeg({ quality: ORIGINAL_QUALITY }), format: 'jpeg' };
  }
}

/**
 * The cleaned original, thumbnail and display size of an upload (the variants as WebP, animated when the
 * upload is), all upright and without metadata but the colour profile. The pixel limit applies again
 * here: the worker never trusts what the upload checked.
 */
export async function makeVariants(input: Buffer): Promise<Variants> {
  try {
    const metadata = await sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    const encoded = encodeOriginal(upright(input), metadata);
    const { data, info } = await encoded.pipeline.toBuffer({ resolveWithObject: true });
    const original = { bytes: data, width: info.width, height: info.pageHeight ?? info.height, format: encoded.format };
    const [thumbnail, display] = [await variant(input, THUMBNAIL_SIZE), await variant(input, DISPLAY_SIZE)];
    return { width: original.width, height: original.height, original, thumbnail, display };
  } catch (error) {
    throw new UnreadableImageError(`The image could not be read: ${(error as Error).message.split('\n')[0]}`);
  }
}

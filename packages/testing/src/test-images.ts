import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Real images, made with sharp, for the media tests and the end-to-end suite. */

/** A 60 × 40 JPEG whose EXIF says "rotate 90°": upright it is 40 × 60. */
export const jpegWithOrientation = () =>
  sharp({ create: { width: 60, height: 40, channels: 3, background: 'orange' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();

export const pngWithAlpha = (width = 50, height = 50) =>
  sharp({ create: { width, height, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 0.5 } } })
    .png()
    .toBuffer();

/** Three 40 × 30 frames. */
export async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ['red', 'green', 'blue'].map((background) =>
      sharp({ create: { width: 40, height: 30, channels: 4, background } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
}

/** An image with random pixels (so each call gives a file of its own, of about `side`² × 3 bytes). */
export function noiseJpeg(side: number, quality = 90): Promise<Buffer> {
  return sharp({
    create: {
      width: side,
      height: side,
      channels: 3,
      background: 'white',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .jpeg({ quality })
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid 1-bit PNG of `side` × `side` pixels, all black, whose compressed data
 * is a few dozen KB while the bitmap is `side`² pixels.
 */
export function pngBomb(side = 20_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(1, 8); // bit depth 1
  header.writeUInt8(0, 9); // greyscale
  const row = 1 + Math.ceil(side / 8); // filter byte + packed pixels
  const pixels = deflateSync(Buffer.alloc(row * side), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const svg = () =>
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40" fill="red"/></svg>',
  );

/** The first half of a JPEG: its header reads fine, its pixels end early. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await noiseJpeg(200);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/** Where {@link jpegWithLocation} was taken, as XMP says it (EXIF and IPTC say it too). */
const XMP_WITH_LOCATION =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.3N" exif:GPSLongitude="2,17.4E"/>' +
  '</rdf:RDF></x:xmpmeta>';

/** A JPEG APP13 segment (Photoshop 3.0, resource 0x0404) holding IPTC records: sharp writes none of its own. */
function iptcSegment(records: Record<number, string>): Buffer {
  const dataset = (tag: number, value: Buffer) =>
    Buffer.concat([Buffer.from([0x1c, 2, tag, value.length >> 8, value.length & 0xff]), value]);
  const iptc = Buffer.concat([
    dataset(0, Buffer.from([0, 4])),
    ...Object.entries(records).map(([tag, value]) => dataset(Number(tag), Buffer.from(value))),
  ]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const resource = Buffer.concat([
    Buffer.from('8BIM', 'latin1'),
    Buffer.from([0x04, 0x04, 0, 0]),
    size,
    iptc,
    Buffer.alloc(iptc.length % 2),
  ]);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xed]), length, body]);
}

/**
 * A 60 × 40 photo as a phone makes it, carrying what nobody who downloads it may get: EXIF with GPS
 * coordinates, XMP with the same, IPTC naming the city; and what must be kept: a Display P3 colour profile.
 * Its EXIF orientation is 6 (turn 90° clockwise): upright it is 40 × 60 with its blue left edge on top.
 */
export async function jpegWithLocation(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: 'orange' } })
    .composite([{ input: { create: { width: 10, height: 40, channels: 3, background: 'blue' } }, left: 0, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withExifMerge({
      IFD0: { Make: 'Phone', Model: 'Camera' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 18/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 24/1' },
    })
    .withXmp(XMP_WITH_LOCATION)
    .toBuffer();
  // City (90) and country (101) in IPTC, right after the start-of-image marker.
  return Buffer.concat([jpeg.subarray(0, 2), iptcSegment({ 90: 'Paris', 101: 'France' }), jpeg.subarray(2)]);
}

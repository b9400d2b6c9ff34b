import { pngBomb, pngWithAlpha, svg, truncatedJpeg } from '@letstalk/testing';
import type { TEST_FILES } from './malformed-http.ts';
import { resolveHttp, sendHttp } from './send-http.ts';

/** Bytes from a small linear congruential generator: the same for the same seed. */
function seededBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** The files multipart cases put in their file parts, by name (see TEST_FILES). */
export async function testFiles(seed: number): Promise<Record<(typeof TEST_FILES)[number], Buffer>> {
  return {
    png: await pngWithAlpha(8, 8),
    svg: Buffer.from(svg()),
    'truncated-jpeg': await truncatedJpeg(),
    'png-bomb': pngBomb(),
    random: seededBytes(seed, 4096),
    empty: Buffer.alloc(0),
    text: Buffer.from('not an image\n'.repeat(10)),
    'gif-header': Buffer.concat([Buffer.from('GIF89a'), seededBytes(seed + 1, 64)]),
  };
}

/** Uploads one real image as a person, so image ids in the pools are real; undefined if the upload failed. */
export async function uploadSeedImage(
  gatewayUrl: string,
  token: string,
  png: Buffer,
  clientIp: string,
): Promise<string | undefined> {
  const resolved = resolveHttp(
    {
      kind: 'multipart',
      auth: { as: 'user', person: 0 },
      boundary: 'seedboundary',
      preflight: true,
      parts: [
        {
          name: 'operations',
          content: JSON.stringify({
            query: 'mutation ($file: Upload!) { uploadImage(file: $file, purpose: MESSAGE) { id } }',
            variables: { file: null },
          }),
        },
        { name: 'map', content: JSON.stringify({ 1: ['variables.file'] }) },
        { name: '1', filename: 'seed.png', contentType: 'image/png', content: 'file:png' },
      ],
    },
    { gatewayUrl, clientIp, token, files: { png } },
  )!;
  const answer = await sendHttp(gatewayUrl, resolved);
  try {
    return (JSON.parse(answer.body) as { data?: { uploadImage?: { id?: string } } }).data?.uploadImage?.id;
  } catch {
    return undefined;
  }
}

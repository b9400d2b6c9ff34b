import mysql from 'mysql2/promise';
import sharp from 'sharp';
import { UploadImageDocument, type LetsTalkClient } from '@letstalk/sdk';
// The worker's own transform, run here in-process as the baseline: the same code on the same files.
import { makeVariants } from '../../subgraphs/media/src/worker/make-variants.ts';
import { IMAGE_WORKER_CONCURRENCY } from '../../subgraphs/media/src/worker/image-worker.ts';
import { fixed } from './measure.ts';

/** A 12-megapixel photo-like JPEG (a gradient with grain), as a phone camera makes. */
const PHOTO_WIDTH = 4000;
const PHOTO_HEIGHT = 3000;
/** Uploads timed one after another, from the first byte sent to READY. */
const LATENCY_SAMPLES = 15;
/** Uploads sent at once for the throughput figure. */
const THROUGHPUT_BATCH = 12;

async function photo(): Promise<Buffer> {
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO_WIDTH}" height="${PHOTO_HEIGHT}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#${Math.floor(
      Math.random() * 0xffffff,
    )
      .toString(16)
      .padStart(
        6,
        '0',
      )}"/><stop offset="1" stop-color="#203040"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
  );
  const grain = await sharp({
    create: {
      width: PHOTO_WIDTH,
      height: PHOTO_HEIGHT,
      channels: 3,
      background: 'gray',
      noise: { type: 'gaussian', mean: 128, sigma: 12 },
    },
  })
    .png()
    .toBuffer();
  return sharp(gradient)
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

/**
 * Images: upload → READY through the gateway (multipart upload, media subgraph, JetStream, the image
 * worker), per image one after another and for a batch sent at once, beside the worker's own transform
 * (sharp, one thread per image) run in this process on the same files.
 */
export async function benchImages(options: { uploaders: LetsTalkClient[]; mediaDatabaseUrl: string }) {
  sharp.concurrency(1);
  sharp.cache(false);
  const db = await mysql.createConnection({ uri: options.mediaDatabaseUrl });
  try {
    const files = await Promise.all(Array.from({ length: LATENCY_SAMPLES + THROUGHPUT_BATCH }, photo));
    const sizeMb = median(files.map((file) => file.length)) / 2 ** 20;

    const untilReady = async (id: string) => {
      for (;;) {
        const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT status FROM images WHERE id = ?', [id]);
        if (row?.status === 'READY') return;
        if (row?.status === 'FAILED') throw new Error(`image ${id} FAILED`);
        await new Promise((wait) => setTimeout(wait, 5));
      }
    };
    const upload = async (client: LetsTalkClient, bytes: Buffer) => {
      const { uploadImage } = await client.upload(UploadImageDocument, {
        file: new File([new Uint8Array(bytes)], 'photo.jpg', { type: 'image/jpeg' }),
        purpose: 'MESSAGE',
      });
      await untilReady(uploadImage.id);
    };
    const time = async (task: () => Promise<unknown>) => {
      const started = performance.now();
      await task();
      return performance.now() - started;
    };

    // One image at a time, the baseline and the stack in turn on the same file, so a busy moment of the
    // machine's other tenants falls on both.
    await makeVariants(files[0]!); // warm-up
    const rawMs: number[] = [];
    const stackMs: number[] = [];
    for (const [index, file] of files.slice(0, LATENCY_SAMPLES).entries()) {
      rawMs.push(await time(() => makeVariants(file)));
      stackMs.push(await time(() => upload(options.uploaders[index % options.uploaders.length]!, file)));
    }
    // A batch at once: the worker runs IMAGE_WORKER_CONCURRENCY images at a time, as the baseline does here.
    const batch = files.slice(LATENCY_SAMPLES);
    const rawRate =
      THROUGHPUT_BATCH /
      ((await time(() =>
        pool(
          IMAGE_WORKER_CONCURRENCY,
          batch.map((file) => () => makeVariants(file)),
        ),
      )) /
        1000);
    const stackRate =
      THROUGHPUT_BATCH /
      ((await time(() =>
        Promise.all(batch.map((file, index) => upload(options.uploaders[index % options.uploaders.length]!, file))),
      )) /
        1000);

    const ratio = median(stackMs) / median(rawMs);
    console.log(
      `\nimages: ${PHOTO_WIDTH} × ${PHOTO_HEIGHT} JPEG (12 MP, ${sizeMb.toFixed(1)} MB) → WebP 512 and 1600, ${LATENCY_SAMPLES} one after another, then ${THROUGHPUT_BATCH} at once`,
    );
    console.log(
      `  raw sharp, the worker's transform in-process (baseline)  p50 ${fixed(median(rawMs), 0)} ms   ${fixed(rawRate, 2)} images/s (${IMAGE_WORKER_CONCURRENCY} at a time)`,
    );
    console.log(
      `  upload → READY through the gateway and the worker       p50 ${fixed(median(stackMs), 0)} ms   ${fixed(stackRate, 2)} images/s`,
    );
    console.log(`  upload → READY / raw sharp = ${ratio.toFixed(2)}× (target ≤ 1.5×)`);
    return { rawP50: median(rawMs), stackP50: median(stackMs), ratio, rawRate, stackRate };
  } finally {
    await db.end();
  }
}

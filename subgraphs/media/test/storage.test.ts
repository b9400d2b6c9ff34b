import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3 } from '@letstalk/testing';
import { LocalStorage } from '../src/storage/local-storage.ts';
import { S3Storage } from '../src/storage/s3-storage.ts';
import type { Storage } from '../src/storage/storage.ts';

const keyOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function bytesOf(stream: Readable | undefined): Promise<Buffer | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** One suite, run against every implementation: they must be interchangeable. */
function storageSuite(name: string, open: () => Promise<{ storage: Storage; close: () => Promise<void> }>) {
  describe(`${name} storage`, () => {
    let storage: Storage;
    let close: () => Promise<void>;
    let scratch: string;

    beforeAll(async () => {
      ({ storage, close } = await open());
      scratch = await mkdtemp(join(tmpdir(), 'letstalk-storage-test-'));
    });
    afterAll(async () => {
      await close();
      await rm(scratch, { recursive: true, force: true });
    });

    it('stores bytes under their key and reads them back, whole or a range', async () => {
      const bytes = randomBytes(10_000);
      const key = keyOf(bytes);
      await storage.putBytes(key, bytes, 'image/webp');
      expect((await storage.head(key))?.size).toBe(10_000);
      expect((await bytesOf(await storage.read(key)))?.equals(bytes)).toBe(true);
      expect((await bytesOf(await storage.read(key, { start: 100, end: 199 })))?.equals(bytes.subarray(100, 200))).toBe(
        true,
      );
    });

    it('stores a file, and a key that exists is never written again', async () => {
      const bytes = randomBytes(5_000);
      const key = keyOf(bytes);
      const path = join(scratch, 'upload');
      await writeFile(path, bytes);
      await storage.putFile(key, path, 'image/png');
      await storage.putBytes(key, Buffer.from('something else'), 'image/png');
      expect((await bytesOf(await storage.read(key)))?.equals(bytes)).toBe(true);
    });

    it('stores a file of several parts (an S3 multipart upload past partBytes) whole', async () => {
      const bytes = randomBytes(11 * 1024 * 1024);
      const key = `${keyOf(bytes)}.zip`;
      const path = join(scratch, 'archive');
      await writeFile(path, bytes);
      await storage.putFile(key, path, 'application/zip');
      expect((await storage.head(key))?.size).toBe(bytes.length);
      expect((await bytesOf(await storage.read(key)))?.equals(bytes)).toBe(true);
    });

    it('reads a key whole when it is deleted once the read has begun (two image jobs share one upload)', async () => {
      const bytes = randomBytes(200_000);
      const key = keyOf(bytes);
      await storage.putBytes(key, bytes, 'image/png');
      const stream = await storage.read(key);
      await storage.delete(key);
      expect((await bytesOf(stream))?.equals(bytes)).toBe(true);
    });

    it('answers undefined for a missing key, deletes, and refuses what is not a key', async () => {
      const bytes = randomBytes(64);
      const key = `${keyOf(bytes)}.thumb`;
      expect(await storage.head(key)).toBeUndefined();
      expect(await storage.read(key)).toBeUndefined();
      await storage.putBytes(key, bytes, 'image/webp');
      expect(await storage.head(key)).toBeDefined();
      await storage.delete(key);
      await storage.delete(key);
      expect(await storage.head(key)).toBeUndefined();
      await expect(storage.putBytes('../../etc/passwd', bytes, 'text/plain')).rejects.toThrow(/not a storage key/);
    });
  });
}

storageSuite('local disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'letstalk-media-test-'));
  return { storage: new LocalStorage(root), close: () => rm(root, { recursive: true, force: true }) };
});

storageSuite('S3', async () => {
  const s3 = await startFakeS3();
  // Parts of S3's smallest size, so an 11 MiB file goes in three.
  const storage = new S3Storage({ ...s3, forcePathStyle: true, prefix: 'test/', partBytes: 5 * 1024 * 1024 });
  return {
    storage,
    close: async () => {
      storage.close();
      await s3.close();
    },
  };
});

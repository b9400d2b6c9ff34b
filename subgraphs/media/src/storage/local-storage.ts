import { copyFile, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { checkKey, type ByteRange, type Storage, type StoredObject } from './storage.ts';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Files in one directory (`MEDIA_DIR`), spread over two levels of sub-directories by the key's first
 * characters. A file is written under a temporary name and renamed, so a reader never sees half of one.
 * The type is not kept: the media subgraph's table holds it.
 */
export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    checkKey(key);
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  private async place(key: string, write: (temporary: string) => Promise<void>): Promise<void> {
    const path = this.pathOf(key);
    if (await exists(path)) return;
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    try {
      await write(temporary);
      await rename(temporary, path);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** Moves the file in when it is on the same file system (an upload in MEDIA_DIR is), copies it otherwise. */
  putFile(key: string, path: string): Promise<void> {
    return this.place(key, (temporary) =>
      rename(path, temporary).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        return copyFile(path, temporary);
      }),
    );
  }

  putBytes(key: string, bytes: Buffer): Promise<void> {
    return this.place(key, (temporary) => writeFile(temporary, bytes));
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info ? { size: info.size, contentType: undefined } : undefined;
  }

  async read(key: string, range?: ByteRange): Promise<Readable | undefined> {
    // Opened here, not when the stream first reads: a file deleted in between (another image job of the same
    // upload finishing) is then missing, or read whole, never an ENOENT in the middle of a job.
    const file = await open(this.pathOf(key), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return file?.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  delete(key: string): Promise<void> {
    return rm(this.pathOf(key), { force: true });
  }
}

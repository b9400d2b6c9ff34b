import type { Readable } from 'node:stream';

/** What a stored object is: its size and, when the store knows it, its type. */
export interface StoredObject {
  size: number;
  contentType: string | undefined;
}

/** Bytes `start` to `end`, both included (as in an HTTP `Range` header). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where image files live, by key. Keys are content-addressed by the callers (a hash of the bytes), so a
 * key's content never changes: `put` of a key that exists stores nothing again.
 * Two implementations: {@link LocalStorage} (one directory, the default) and {@link S3Storage} (any
 * S3-compatible store, so several media instances share their files).
 */
export interface Storage {
  /**
   * Stores a file's bytes under `key` from a local file, which may be moved in (it is gone afterwards);
   * a no-op when `key` exists.
   */
  putFile(key: string, path: string, contentType: string): Promise<void>;
  /** Stores bytes under `key`; a no-op when `key` exists. */
  putBytes(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Size and type of `key`, or undefined when there is no such object. */
  head(key: string): Promise<StoredObject | undefined>;
  /** The bytes of `key` (or of a range of them); undefined when there is no such object. */
  read(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are hex digests with an optional variant suffix: nothing a path or URL could misread. */
const STORAGE_KEY = /^[a-f0-9]{64}(?:\.[a-z0-9]{1,16})?$/;

export function checkKey(key: string): string {
  if (!STORAGE_KEY.test(key)) throw new Error(`not a storage key: ${key}`);
  return key;
}

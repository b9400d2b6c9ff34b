import type DataLoader from 'dataloader';
import type { OutboxRelay } from '@letstalk/events';
import type { BaseContext, RateLimiter } from '@letstalk/server';
import type { FileRow } from './data/file-repository.ts';
import type { ImageRow } from './data/image-repository.ts';
import type { MediaDb } from './data/tables.ts';
import type { Storage } from './storage/storage.ts';
import type { UploadQuota } from './upload/upload-quota.ts';

/** Long-lived parts built once at start-up. */
export interface MediaServices {
  storage: Storage;
  relay: OutboxRelay;
  uploadLimiter: RateLimiter;
  /** Bytes each person may upload per day and keep stored. */
  uploadQuota: UploadQuota;
  /** Where uploads are written while they are checked, before the storage takes them. */
  uploadDir: string;
  /** Bytes of one file uploaded with `uploadFile` (MEDIA_MAX_FILE_BYTES). */
  maxFileBytes: number;
  /** Signs image and file URLs (and checks them when they come back). */
  urlSecret: string;
  /** The origin image and file URLs point at (the gateway's). */
  publicUrl: string;
}

export interface MediaContext extends BaseContext {
  db: MediaDb;
  services: MediaServices;
  loaders: { image: DataLoader<string, ImageRow | null>; file: DataLoader<string, FileRow | null> };
}

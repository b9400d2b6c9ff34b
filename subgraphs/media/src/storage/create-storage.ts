import { join, resolve } from 'node:path';
import type { StorageEnv } from '../env.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';
import type { Storage } from './storage.ts';

/** The store `MEDIA_STORAGE` names (its variables were checked at boot: see env.ts). */
export function createStorage(env: StorageEnv): Storage & { close?: () => void } {
  if (env.MEDIA_STORAGE === 'local') return new LocalStorage(resolve(env.MEDIA_DIR ?? join(env.DATA_DIR, 'media')));
  return new S3Storage({
    bucket: env.S3_BUCKET!,
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    prefix: env.S3_PREFIX,
  });
}

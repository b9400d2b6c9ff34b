import { join, resolve } from 'node:path';
import { ConfigError } from '@letstalk/config';
import type { MediaEnv } from '../env.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';
import type { Storage } from './storage.ts';

const S3_REQUIRED = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** The store `MEDIA_STORAGE` names, checked at boot: S3 needs a bucket and credentials. */
export function createStorage(env: MediaEnv): Storage & { close?: () => void } {
  if (env.MEDIA_STORAGE === 'local') return new LocalStorage(resolve(env.MEDIA_DIR ?? join(env.DATA_DIR, 'media')));
  const missing = S3_REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new ConfigError(
      'media subgraph',
      missing.map((name) => `${name}: required when MEDIA_STORAGE=s3`),
    );
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

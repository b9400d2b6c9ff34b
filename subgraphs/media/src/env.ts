import { ConfigError, flag, listenEnv, loadConfig, previewFetchEnv, subgraphEnv, z } from '@letstalk/config';
import { UPLOAD_BYTES_PER_USER_PER_DAY, UPLOAD_BYTES_PER_USER_TOTAL } from './limits.ts';

/** A quota in bytes (at least 1 KiB: the day's is counted in KiB). */
const bytes = (defaultBytes: number) => z.coerce.number().int().min(1024).default(defaultBytes);

const shape = {
  ...subgraphEnv('MEDIA', 4003),
  /** The worker fetches link previews' images: the same policy as the preview worker's page fetches. */
  ...previewFetchEnv,
  /** The image worker's health endpoints (`/healthz`, `/readyz`). */
  ...listenEnv('MEDIA_WORKER', 4013),
  /** Signs image URLs (HMAC-SHA256): at least 32 characters, the same on every media instance; generated under DATA_DIR outside production. */
  MEDIA_URL_SECRET: z.string().min(32).optional(),
  /** The origin clients load images from: the gateway's public URL. */
  MEDIA_PUBLIC_URL: z.url().default('http://127.0.0.1:4000'),
  /** Where image files are kept: `local` (MEDIA_DIR) or `s3` (an S3-compatible bucket shared by every media instance). */
  MEDIA_STORAGE: z.enum(['local', 's3']).default('local'),
  /** The local store's directory; by default `media` under DATA_DIR. */
  MEDIA_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  /** An S3-compatible server's URL (MinIO, Ceph, R2...); unset for AWS. */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the URL path, not the host name (what most S3-compatible servers want). */
  S3_FORCE_PATH_STYLE: flag(true),
  /** Prefix of every object key in the bucket. */
  S3_PREFIX: z.string().default(''),
  /** Bytes one person may upload per 24 hours, across instances. */
  MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY: bytes(UPLOAD_BYTES_PER_USER_PER_DAY),
  /** Bytes of uploads one person may have stored at once. */
  MEDIA_UPLOAD_BYTES_PER_USER_TOTAL: bytes(UPLOAD_BYTES_PER_USER_TOTAL),
};

export type MediaEnv = ReturnType<typeof loadMediaEnv>;

/** Every variable the media subgraph reads, validated at boot. */
export function loadMediaEnv(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig('media subgraph', shape, env);
  if (config.NODE_ENV === 'production' && !config.MEDIA_URL_SECRET) {
    throw new ConfigError('media subgraph', [
      'MEDIA_URL_SECRET: required in production (32 characters or more, e.g. openssl rand -base64 32)',
    ]);
  }
  return config;
}

import { ConfigError, envSpec, flag, loadConfig, previewFetchEnv, subgraphEnv, workerEnv, z } from '@letstalk/config';
import {
  DEFAULT_MAX_FILE_BYTES,
  MAX_FILE_BYTES_CEILING,
  UPLOAD_BYTES_PER_USER_PER_DAY,
  UPLOAD_BYTES_PER_USER_TOTAL,
} from './limits.ts';

/** A quota in bytes (at least 1 KiB: the day's is counted in KiB). */
const bytes = (defaultBytes: number) => z.coerce.number().int().min(1024).default(defaultBytes);

/** Where image files are kept: the subgraph (uploads, serving) and the worker (variants, clean-up) share it. */
const storageEnv = {
  /** `local` (MEDIA_DIR) or `s3` (an S3-compatible bucket shared by every media instance). */
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
};

const shape = {
  ...subgraphEnv('MEDIA', 4003),
  ...storageEnv,
  /** Signs image URLs (HMAC-SHA256): at least 32 characters, the same on every media instance; generated under DATA_DIR outside production. */
  MEDIA_URL_SECRET: z.string().min(32).optional(),
  /** The origin clients load images from: the gateway's public URL. */
  MEDIA_PUBLIC_URL: z.url().default('http://127.0.0.1:4000'),
  /** Bytes one person may upload per 24 hours, across instances. */
  MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY: bytes(UPLOAD_BYTES_PER_USER_PER_DAY),
  /** Bytes of uploads one person may have stored at once. */
  MEDIA_UPLOAD_BYTES_PER_USER_TOTAL: bytes(UPLOAD_BYTES_PER_USER_TOTAL),
  /** Bytes of one file uploaded with `uploadFile` (the gateway's GATEWAY_MAX_UPLOAD_BYTES must admit it). */
  MEDIA_MAX_FILE_BYTES: z.coerce.number().int().min(1).max(MAX_FILE_BYTES_CEILING).default(DEFAULT_MAX_FILE_BYTES),
};

const requiredInProduction = {
  DATABASE_URL: 'mysql://user:password@host:3306',
  MEDIA_URL_SECRET: '32 characters or more, the same on every media instance: openssl rand -base64 32',
  MEDIA_PUBLIC_URL: "the gateway's public origin, which image URLs point at",
};

const workerShape = {
  ...workerEnv('MEDIA', 4013),
  ...storageEnv,
  /** The worker fetches link previews' images: the same policy as the preview worker's page fetches. */
  ...previewFetchEnv,
};

const workerRequiredInProduction = { DATABASE_URL: requiredInProduction.DATABASE_URL };

/** What the media subgraph and the image worker read (docker-compose.yml passes each exactly these). */
export const mediaEnvSpec = envSpec(shape, requiredInProduction);
export const mediaWorkerEnvSpec = envSpec(workerShape, workerRequiredInProduction);

export type MediaEnv = ReturnType<typeof loadMediaEnv>;
export type MediaWorkerEnv = ReturnType<typeof loadMediaWorkerEnv>;
/** What the image store is made from (both processes have it). */
export type StorageEnv = z.infer<z.ZodObject<typeof storageEnv>> & { DATA_DIR: string };

const S3_REQUIRED = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** S3 storage needs a bucket and credentials; checked at boot by both processes. */
function withStorageChecked<Config extends StorageEnv>(service: string, config: Config): Config {
  const missing = config.MEDIA_STORAGE === 's3' ? S3_REQUIRED.filter((name) => !config[name]) : [];
  if (missing.length > 0) {
    throw new ConfigError(
      service,
      missing.map((name) => `${name}: required when MEDIA_STORAGE=s3`),
    );
  }
  return config;
}

/** Every variable the media subgraph reads, validated at boot. */
export function loadMediaEnv(env: Record<string, string | undefined> = process.env) {
  return withStorageChecked('media subgraph', loadConfig('media subgraph', shape, env, { requiredInProduction }));
}

/** Every variable the image worker reads, validated at boot. */
export function loadMediaWorkerEnv(env: Record<string, string | undefined> = process.env) {
  return withStorageChecked(
    'image worker',
    loadConfig('image worker', workerShape, env, { requiredInProduction: workerRequiredInProduction }),
  );
}

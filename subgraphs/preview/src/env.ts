import {
  commonEnv,
  databaseName,
  databaseUrl,
  loadConfig,
  natsUrl,
  port,
  previewFetchEnv,
  tokenEnv,
  z,
} from '@letstalk/config';

const seconds = (defaultSeconds: number) => z.coerce.number().int().min(1).default(defaultSeconds);

const shape = {
  ...commonEnv,
  ...tokenEnv,
  ...previewFetchEnv,
  PREVIEW_HOST: z.string().default('127.0.0.1'),
  PREVIEW_PORT: port(4004),
  /** The preview worker's health endpoints (`/healthz`, `/readyz`). */
  PREVIEW_WORKER_HOST: z.string().default('127.0.0.1'),
  PREVIEW_WORKER_PORT: port(4014),
  DATABASE_URL: databaseUrl,
  PREVIEW_DATABASE: databaseName('preview'),
  NATS_URL: natsUrl,
  /** How long a page's preview is used before a new message with its link has it fetched again. */
  PREVIEW_CACHE_TTL_SECONDS: seconds(24 * 60 * 60),
  /** The same for a page that could not be previewed: shorter, so a site that was down gets another chance. */
  PREVIEW_FAILURE_TTL_SECONDS: seconds(10 * 60),
};

export type PreviewEnv = ReturnType<typeof loadPreviewEnv>;

/** Every variable the preview subgraph and its worker read, validated at boot. */
export function loadPreviewEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('preview subgraph', shape, env);
}

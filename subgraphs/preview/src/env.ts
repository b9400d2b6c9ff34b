import { commonEnv, databaseName, databaseUrl, loadConfig, natsUrl, port, tokenEnv, z } from '@letstalk/config';

const shape = {
  ...commonEnv,
  ...tokenEnv,
  PREVIEW_HOST: z.string().default('127.0.0.1'),
  PREVIEW_PORT: port(4004),
  DATABASE_URL: databaseUrl,
  PREVIEW_DATABASE: databaseName('preview'),
  NATS_URL: natsUrl,
};

export type PreviewEnv = ReturnType<typeof loadPreviewEnv>;

/** Every variable the preview subgraph reads, validated at boot. */
export function loadPreviewEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('preview subgraph', shape, env);
}

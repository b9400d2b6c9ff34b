import { commonEnv, databaseName, databaseUrl, loadConfig, natsUrl, port, tokenEnv, z } from '@letstalk/config';

const shape = {
  ...commonEnv,
  ...tokenEnv,
  MEDIA_HOST: z.string().default('127.0.0.1'),
  MEDIA_PORT: port(4003),
  DATABASE_URL: databaseUrl,
  MEDIA_DATABASE: databaseName('media'),
  NATS_URL: natsUrl,
};

export type MediaEnv = ReturnType<typeof loadMediaEnv>;

/** Every variable the media subgraph reads, validated at boot. */
export function loadMediaEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('media subgraph', shape, env);
}

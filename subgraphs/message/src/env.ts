import { commonEnv, databaseName, databaseUrl, loadConfig, natsUrl, port, tokenEnv, z } from '@letstalk/config';

const shape = {
  ...commonEnv,
  ...tokenEnv,
  MESSAGE_HOST: z.string().default('127.0.0.1'),
  MESSAGE_PORT: port(4002),
  DATABASE_URL: databaseUrl,
  MESSAGE_DATABASE: databaseName('message'),
  NATS_URL: natsUrl,
};

export type MessageEnv = ReturnType<typeof loadMessageEnv>;

/** Every variable the message subgraph reads, validated at boot. */
export function loadMessageEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('message subgraph', shape, env);
}

import { PRESENCE_BUCKET } from '@letstalk/events';
import { envSpec, loadConfig, subgraphEnv, z } from '@letstalk/config';
import { PRESENCE_SWEEP_INTERVAL_MS } from './presence/presence-service.ts';

const iceServers = z.array(
  z.object({
    urls: z.union([z.string(), z.array(z.string()).min(1)]).transform((urls) => (Array.isArray(urls) ? urls : [urls])),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

const shape = {
  ...subgraphEnv('MESSAGE', 4002),
  /**
   * STUN/TURN servers handed to calling clients (`callSettings`), as a JSON array of RTCIceServer objects,
   * e.g. `[{"urls":["stun:stun.example.org:3478"]}]`. Empty by default: calls then work on one network only.
   */
  CALL_ICE_SERVERS: z
    .string()
    .default('[]')
    .transform((value, context) => {
      try {
        return iceServers.parse(JSON.parse(value));
      } catch (error) {
        context.addIssue({
          code: 'custom',
          message: `not a JSON array of {urls, username?, credential?}: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  /**
   * How often the presence sweeper (one instance at a time) turns OFFLINE the people whose presence keys expired
   * (their gateway died without a word), and settles the people with keys stored as OFFLINE.
   */
  PRESENCE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(PRESENCE_SWEEP_INTERVAL_MS),
  /**
   * The presence bucket (NATS KV, stream `KV_<name>`): the same on every gateway and message subgraph of one
   * installation, another for each installation sharing a NATS server.
   */
  PRESENCE_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -')
    .default(PRESENCE_BUCKET),
};

const requiredInProduction = { DATABASE_URL: 'mysql://user:password@host:3306' };

/** What the message subgraph reads (docker-compose.yml passes it exactly these). */
export const messageEnvSpec = envSpec(shape, requiredInProduction);

export type MessageEnv = ReturnType<typeof loadMessageEnv>;

/** Every variable the message subgraph reads, validated at boot. */
export function loadMessageEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('message subgraph', shape, env, { requiredInProduction });
}

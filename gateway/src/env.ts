import { fileURLToPath } from 'node:url';
import { PRESENCE_BUCKET } from '@letstalk/events';
import { envSpec, loadConfig, serviceEnv, z } from '@letstalk/config';
import { MAX_CONNECTIONS_PER_IP, MAX_WS_CONNECTIONS_PER_IP } from './connection-caps.ts';
import { SUBGRAPH_TIMEOUT_MS } from './data-source.ts';
import { MAX_UPLOAD_BYTES } from './upload-forwarding.ts';
import { MAX_REPLAY_MESSAGES } from './live/subscriptions.ts';
import { PRESENCE_AWAY_AFTER_MS, PRESENCE_TTL_MS } from './presence/presence-state.ts';

const optionalUrl = z.url().optional();

const shape = {
  // NATS_URL among them: live events for the viewers connected over graphql-ws arrive on NATS core subjects.
  ...serviceEnv('GATEWAY', 4000),
  /** The composed supergraph; the gateway never introspects subgraphs. */
  SUPERGRAPH_PATH: z.string().default(fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url))),
  /** Override the subgraph URLs written in the supergraph (the local defaults). */
  USER_URL: optionalUrl,
  MESSAGE_URL: optionalUrl,
  MEDIA_URL: optionalUrl,
  PREVIEW_URL: optionalUrl,
  /** GraphiQL on GET /graphql; defaults to on in development only. */
  EXPLORER: z.enum(['true', 'false', '1', '0']).optional(),
  /** Schema introspection and field suggestions; default on in development only. */
  INTROSPECTION: z.enum(['true', 'false', '1', '0']).optional(),
  /** Comma-separated origins allowed by CORS; `*` for any; empty for none (same origin only). */
  CORS_ORIGINS: z.string().optional(),
  /** Express "trust proxy": how many proxies in front set X-Forwarded-For (0 = none). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long a subgraph may take to send its answer's headers, and between two chunks of its body. */
  GATEWAY_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(SUBGRAPH_TIMEOUT_MS),
  /** Open TCP connections from one address; only applied with TRUST_PROXY_HOPS=0 (the peer is the client). */
  GATEWAY_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(MAX_CONNECTIONS_PER_IP),
  /** graphql-ws connections from one client address (behind trusted proxies: the forwarded one). */
  GATEWAY_MAX_WS_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(MAX_WS_CONNECTIONS_PER_IP),
  /** Messages one messageAdded subscription replays from `after`/`since` (then UNAVAILABLE: resume for more). */
  GATEWAY_MAX_REPLAY_MESSAGES: z.coerce.number().int().min(1).default(MAX_REPLAY_MESSAGES),
  /** Bytes of one uploaded file the gateway passes on: at least the media subgraph's MEDIA_MAX_FILE_BYTES. */
  GATEWAY_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(MAX_UPLOAD_BYTES),
  /**
   * How long a gateway's presence keys outlive it (the presence bucket's TTL; written again every third of it).
   * The same on every gateway: each one sets the bucket's TTL at start.
   */
  PRESENCE_TTL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(PRESENCE_TTL_MS),
  /** A person whose every socket on a gateway has sent nothing for this long is AWAY there. */
  PRESENCE_AWAY_AFTER_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(PRESENCE_AWAY_AFTER_MS),
  /**
   * The presence bucket (NATS KV, stream `KV_<name>`): the same on every gateway and message subgraph of one
   * installation, another for each installation sharing a NATS server.
   */
  PRESENCE_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -')
    .default(PRESENCE_BUCKET),
};

/** What the gateway reads (docker-compose.yml passes it exactly these). */
export const gatewayEnvSpec = envSpec(shape);

export type GatewayEnv = ReturnType<typeof loadGatewayEnv>;

const enabled = (value: string | undefined, fallback: boolean) =>
  value === undefined ? fallback : value === 'true' || value === '1';

/** Every variable the gateway reads, validated at boot. */
export function loadGatewayEnv(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig('gateway', shape, env);
  const development = config.NODE_ENV === 'development';
  return {
    ...config,
    explorer: enabled(config.EXPLORER, development),
    introspection: enabled(config.INTROSPECTION, development),
    corsOrigins: (config.CORS_ORIGINS ?? (development ? '*' : ''))
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    subgraphUrls: {
      user: config.USER_URL,
      message: config.MESSAGE_URL,
      media: config.MEDIA_URL,
      preview: config.PREVIEW_URL,
    } as Record<string, string | undefined>,
  };
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { freePort } from '@letstalk/stack';
import { OIDC_AUDIENCE, type Infrastructure } from './infrastructure.ts';
import type { TargetName } from './options.ts';
import { serverTarget, startService, type Target } from './targets.ts';

/** The databases of the stack under test (in the suite's own MariaDB). */
const CHAOS_DATABASES = {
  user: 'letstalk_chaos_user',
  message: 'letstalk_chaos_message',
  media: 'letstalk_chaos_media',
  preview: 'letstalk_chaos_preview',
} as const;

/** The OIDC provider name senders sign in with. */
export const OIDC_PROVIDER = 'chaos';

/** The processes in start order: subgraphs (they migrate their databases), then workers, then gateways. */
const SUBGRAPHS = ['user', 'message', 'media', 'preview'] as const;
const WORKERS = [
  { name: 'media-worker', entry: 'subgraphs/media/src/worker/index.ts', port: 'MEDIA_WORKER_PORT' },
  { name: 'preview-worker', entry: 'subgraphs/preview/src/worker/index.ts', port: 'PREVIEW_WORKER_PORT' },
] as const;
const GATEWAYS = ['gateway-a', 'gateway-b'] as const;

export interface ChaosStack {
  /** Every process of the stack, and NATS and MariaDB. */
  targets: Map<TargetName, Target>;
  /** The two gateways' `/graphql` URLs. */
  gatewayUrls: string[];
  /** The key access tokens are signed with (the suite mints tokens for its subscribers). */
  privateKeyPem: string;
  /** A database of the stack, as a mysql2 URI. */
  databaseUrl: (database: keyof typeof CHAOS_DATABASES) => string;
  stop: () => Promise<void>;
}

/**
 * Starts two gateways, the four subgraphs and both workers as separate processes, in production mode as an
 * operator runs them (LOG_LEVEL=warn, a signing key and an image URL secret made for this run, sign-in with a
 * fake OIDC issuer, link previews allowed to the fake web on 127.0.0.1), on ports fixed for the run so that a
 * process started again is found where it was.
 */
export async function startChaosStack(infrastructure: Infrastructure): Promise<ChaosStack> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateKeyPem = await exportPKCS8(privateKey);
  const port: Record<string, number> = {};
  for (const name of [...SUBGRAPHS, ...WORKERS.map((worker) => worker.name), ...GATEWAYS])
    port[name] = await freePort();
  const origin = (name: string) => `http://127.0.0.1:${port[name]}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: join(infrastructure.runDir, 'data'),
    DATABASE_URL: infrastructure.mariadb.url,
    NATS_URL: infrastructure.nats.url,
    // Seven processes on one machine: each serves /metrics on its own port, as npm start does.
    METRICS_PORT: '',
    AUTH_PRIVATE_KEY: privateKeyPem,
    AUTH_JWKS_URL: `${origin('user')}/.well-known/jwks.json`,
    AUTH_OIDC_PROVIDERS: JSON.stringify([
      { name: OIDC_PROVIDER, issuer: infrastructure.oidcIssuer, audience: OIDC_AUDIENCE },
    ]),
    AUTH_ALLOW_INSECURE_ISSUERS: 'true',
    MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
    MEDIA_PUBLIC_URL: origin('gateway-a'),
    PREVIEW_ALLOW_HOSTS: '127.0.0.1',
    PREVIEW_DNS_SERVERS: infrastructure.dnsServer,
    TRUST_PROXY_HOPS: '1',
    // Every subscriber connects from 127.0.0.1.
    GATEWAY_MAX_WS_CONNECTIONS_PER_IP: '10000',
    USER_DATABASE: CHAOS_DATABASES.user,
    MESSAGE_DATABASE: CHAOS_DATABASES.message,
    MEDIA_DATABASE: CHAOS_DATABASES.media,
    PREVIEW_DATABASE: CHAOS_DATABASES.preview,
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_PORT`, String(port[name])])),
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, `${origin(name)}/graphql`])),
    ...Object.fromEntries(WORKERS.map((worker) => [worker.port, String(port[worker.name])])),
  };
  const targets = new Map<TargetName, Target>([
    ['nats', serverTarget('nats', infrastructure.nats)],
    ['mariadb', serverTarget('mariadb', infrastructure.mariadb)],
  ]);
  const service = async (name: TargetName, entry: string, extraEnv: Record<string, string> = {}) => {
    const started = await startService({
      name,
      entry,
      env: { ...env, ...extraEnv },
      origin: origin(name),
      logDir: infrastructure.logDir,
    });
    targets.set(name, started);
  };
  const stop = async () => {
    const services = [...targets.values()].filter((each) => each.name !== 'nats' && each.name !== 'mariadb');
    await Promise.all(services.reverse().map((each) => each.stop()));
  };
  try {
    await Promise.all(SUBGRAPHS.map((name) => service(name, `subgraphs/${name}/src/index.ts`)));
    await Promise.all(WORKERS.map((worker) => service(worker.name, worker.entry)));
    for (const name of GATEWAYS) await service(name, 'gateway/src/index.ts', { GATEWAY_PORT: String(port[name]) });
  } catch (error) {
    await stop();
    throw error;
  }
  const mariadbUrl = infrastructure.mariadb.url;
  return {
    targets,
    gatewayUrls: GATEWAYS.map((name) => `${origin(name)}/graphql`),
    privateKeyPem,
    databaseUrl: (database) => `${mariadbUrl}/${CHAOS_DATABASES[database]}`,
    stop,
  };
}

/** One process of the stack (or NATS, MariaDB) by name. */
export function targetOf(stack: ChaosStack, name: TargetName): Target {
  const found = stack.targets.get(name);
  if (!found) throw new Error(`The stack has no process ${name}.`);
  return found;
}

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

/** A database of the stack. */
type ChaosDatabase = keyof typeof CHAOS_DATABASES;

/** A stack under test: the one-of-each of {@link startChaosStack} or the scale-out one (scaled-chaos-stack.ts). */
export interface ChaosStack {
  /** Every process of the stack, and its NATS and MariaDB servers, by process name. */
  targets: Map<string, Target>;
  /**
   * The process a fault on `name` strikes (one of a pair on the scale-out stack), and why it was chosen when
   * that was decided at the strike; rejects when the stack has no such process.
   */
  targetFor: (name: TargetName) => Promise<{ target: Target; why?: string }>;
  /** Where clients send GraphQL: each gateway's `/graphql`, or the balancer's in front of them. */
  gatewayUrls: string[];
  /** What NATS_URL takes for the stack's NATS (the suite reads the dead letters there). */
  natsUrl: string;
  /** The key access tokens are signed with (the suite mints tokens for its subscribers). */
  privateKeyPem: string;
  /** A database of the stack, as a mysql2 URI. */
  databaseUrl: (database: ChaosDatabase) => string;
  stop: () => Promise<void>;
}

/**
 * What every process of a chaos stack runs with, as an operator runs it: production mode, LOG_LEVEL=warn, a
 * signing key and an image URL secret made for this run, sign-in with the fake OIDC issuer, link previews
 * allowed to the fake web on 127.0.0.1 (names resolved by the fake name server), one trusted proxy hop (each
 * person has an address of their own), and room for every subscriber's socket from one address.
 */
export async function productionEnv(
  infrastructure: Infrastructure,
): Promise<{ env: Record<string, string>; privateKeyPem: string }> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateKeyPem = await exportPKCS8(privateKey);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // Many processes on one machine: each serves /metrics on its own port, as npm start does.
    METRICS_PORT: '',
    AUTH_PRIVATE_KEY: privateKeyPem,
    AUTH_OIDC_PROVIDERS: JSON.stringify([
      { name: OIDC_PROVIDER, issuer: infrastructure.oidcIssuer, audience: OIDC_AUDIENCE },
    ]),
    AUTH_ALLOW_INSECURE_ISSUERS: 'true',
    MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
    PREVIEW_ALLOW_HOSTS: '127.0.0.1',
    PREVIEW_DNS_SERVERS: infrastructure.dnsServer,
    TRUST_PROXY_HOPS: '1',
    // Every subscriber connects from 127.0.0.1.
    GATEWAY_MAX_WS_CONNECTIONS_PER_IP: '10000',
  };
  return { env, privateKeyPem };
}

/**
 * Starts two gateways, the four subgraphs and both workers as separate processes, with the
 * {@link productionEnv}, on the suite's own NATS and MariaDB, on ports fixed for the run so that a process
 * started again is found where it was.
 */
export async function startChaosStack(infrastructure: Infrastructure): Promise<ChaosStack> {
  const { servers } = infrastructure;
  if (!servers) throw new Error("The one-of-each stack runs on the suite's own NATS and MariaDB; none were started.");
  const production = await productionEnv(infrastructure);
  const port: Record<string, number> = {};
  for (const name of [...SUBGRAPHS, ...WORKERS.map((worker) => worker.name), ...GATEWAYS])
    port[name] = await freePort();
  const origin = (name: string) => `http://127.0.0.1:${port[name]}`;
  const env: Record<string, string> = {
    ...production.env,
    DATA_DIR: join(infrastructure.runDir, 'data'),
    DATABASE_URL: servers.mariadb.url,
    NATS_URL: servers.nats.url,
    AUTH_JWKS_URL: `${origin('user')}/.well-known/jwks.json`,
    MEDIA_PUBLIC_URL: origin('gateway-a'),
    USER_DATABASE: CHAOS_DATABASES.user,
    MESSAGE_DATABASE: CHAOS_DATABASES.message,
    MEDIA_DATABASE: CHAOS_DATABASES.media,
    PREVIEW_DATABASE: CHAOS_DATABASES.preview,
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_PORT`, String(port[name])])),
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, `${origin(name)}/graphql`])),
    ...Object.fromEntries(WORKERS.map((worker) => [worker.port, String(port[worker.name])])),
  };
  const targets = new Map<string, Target>([
    ['nats', serverTarget('nats', servers.nats)],
    ['mariadb', serverTarget('mariadb', servers.mariadb)],
  ]);
  const services: Awaited<ReturnType<typeof startService>>[] = [];
  const service = async (name: TargetName, entry: string, extraEnv: Record<string, string> = {}) => {
    const started = await startService({
      name,
      entry,
      env: { ...env, ...extraEnv },
      origin: origin(name),
      logDir: infrastructure.logDir,
    });
    targets.set(name, started);
    services.push(started);
  };
  const stop = async () => {
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
  return {
    targets,
    targetFor: async (name) => {
      const target = targets.get(name);
      if (!target) throw new Error(`The one-of-each stack has no ${name}.`);
      return { target };
    },
    gatewayUrls: GATEWAYS.map((name) => `${origin(name)}/graphql`),
    natsUrl: servers.nats.url,
    privateKeyPem: production.privateKeyPem,
    databaseUrl: (database) => `${servers.mariadb.url}/${CHAOS_DATABASES[database]}`,
    stop,
  };
}

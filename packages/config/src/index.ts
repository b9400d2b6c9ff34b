import net from 'node:net';
import { z } from 'zod';

export { z };

/** Thrown by {@link loadConfig} with every invalid variable listed, so a boot failure says all at once. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: string[],
  ) {
    super(`Invalid configuration for ${service}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Variables a process cannot run without in production, each with a hint on how to make a value (in development
 * and tests they have a stand-in: a key generated under DATA_DIR, a local server).
 */
export type RequiredInProduction<Shape extends z.ZodRawShape> = Partial<Record<keyof Shape & string, string>>;

/** What a configuration module asks of {@link loadConfig} beyond its shape. */
export interface ConfigRules<Shape extends z.ZodRawShape> {
  requiredInProduction?: RequiredInProduction<Shape>;
  /** Rules across variables, run once the shape holds: each problem as `NAME: what is wrong`. */
  check?: (config: z.infer<z.ZodObject<Shape>>) => string[];
}

/**
 * Validates `env` against `shape` and returns one typed object. Every failure is collected and reported
 * together (variable name, what is wrong), never only the first one: the shape's, each variable of
 * `requiredInProduction` not set when `NODE_ENV` is production, and the `check`'s.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  service: string,
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
  rules: ConfigRules<Shape> = {},
): z.infer<z.ZodObject<Shape>> {
  // An empty value means "not set", so a copied .env.example with blanks keeps every default.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = z.object(shape).safeParse(present);
  const production = (present.NODE_ENV ?? DEFAULT_NODE_ENV) === 'production';
  const issues = [
    ...Object.entries(production ? (rules.requiredInProduction ?? {}) : {})
      .filter(([name]) => present[name] === undefined)
      .map(([name, hint]) => `${name}: required in production (${String(hint)})`),
    ...(result.success
      ? (rules.check?.(result.data) ?? [])
      : result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`)),
  ];
  if (result.success && issues.length === 0) return result.data;
  throw new ConfigError(service, issues);
}

/**
 * What a process's configuration module declares: every variable it reads and those production needs set.
 * docker-compose.yml passes each service exactly these (a test compares the two).
 */
export interface EnvSpec {
  variables: readonly string[];
  requiredInProduction: readonly string[];
}

export const envSpec = <Shape extends z.ZodRawShape>(
  shape: Shape,
  requiredInProduction: RequiredInProduction<Shape> = {},
): EnvSpec => ({ variables: Object.keys(shape), requiredInProduction: Object.keys(requiredInProduction) });

/** What a process runs as when NODE_ENV is not set: production (`npm start` and the tests opt out). */
const DEFAULT_NODE_ENV = 'production';

/** Variables every LetsTalk process reads. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default(DEFAULT_NODE_ENV),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  /**
   * How long a process may take to stop on SIGTERM/SIGINT (in-flight requests and jobs finish, sockets
   * close, NATS drains) before it exits anyway; a second signal exits at once.
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  /** When set, `GET /metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (16 characters or more). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * When set, `/metrics` is served on its own listener at METRICS_HOST:METRICS_PORT (an internal address)
   * instead of the process's HTTP port.
   */
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** OTLP/HTTP collector (the standard OpenTelemetry variable): traces are exported there; unset, tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Headers sent to the collector with every export (`key=value,key2=value2`, values URL-encoded), e.g. its credentials. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  /** The `service.name` of this process's spans; by default its own (`gateway`, `message-subgraph`, `media-worker`, ...). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** The share of traces recorded, 0 to 1 (decided from the trace id, so the same in every process of a trace). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** Milliseconds between two exports of the spans ended meanwhile (OpenTelemetry's batch span processor). */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(60_000).default(5_000),
};

/** A TCP port; `0` picks a free one (tests). */
export const port = (defaultPort: number) => z.coerce.number().int().min(0).max(65535).default(defaultPort);

/** `true`/`false`/`1`/`0` from the environment. */
export const flag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/**
 * NATS_STREAM_REPLICAS: how many servers of a NATS cluster keep each JetStream stream (3 in a three-node cluster, so
 * one node's loss loses nothing). Unset, a new stream has one copy and an existing one keeps its own.
 */
export const natsStreamReplicas = z.coerce.number().int().min(1).max(5).optional();

export const databaseUrl = z
  .string()
  .default('mysql://root@127.0.0.1:3306')
  .refine(
    (value) => /^mysql:\/\/[^/]+\/?$/.test(value),
    'must be mysql://user[:password]@host:port (no database name)',
  );

export const natsUrl = z.string().default('nats://127.0.0.1:4222');

/**
 * DATABASE_READ_URL: a replica of DATABASE_URL's server (same form), for the reads that tolerate a few seconds' lag
 * (older history pages, directory search); unset, every read goes to DATABASE_URL.
 */
const databaseReadUrl = z
  .string()
  .refine((value) => /^mysql:\/\/[^/]+\/?$/.test(value), 'must be mysql://user[:password]@host:port (no database name)')
  .optional();

/** The database each subgraph owns; override the prefix to run several installations on one server. */
const databaseName = (subgraph: string) =>
  z
    .string()
    .regex(/^[a-zA-Z0-9_]{1,64}$/, 'letters, digits and _ only')
    .default(`letstalk_${subgraph}`);

/** Prints a configuration failure and exits; any other error is rethrown. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}

/** Where access tokens come from and how they are checked; the same in every service. */
const tokenEnv = {
  AUTH_ISSUER: z.string().min(1).default('letstalk'),
  AUTH_AUDIENCE: z.string().min(1).default('letstalk'),
  /** The user subgraph's public keys; every other service verifies access tokens against them. */
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
};

type Prefixed<Prefix extends string, Shape> = { [Key in keyof Shape & string as `${Prefix}_${Key}`]: Shape[Key] };

function prefixed<Prefix extends string, Shape extends z.ZodRawShape>(prefix: Prefix, shape: Shape) {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [`${prefix}_${key}`, schema])) as Prefixed<
    Prefix,
    Shape
  >;
}

/** Where a process listens: `<PREFIX>_HOST` (127.0.0.1 by default) and `<PREFIX>_PORT`. */
export const listenEnv = <Prefix extends string>(prefix: Prefix, defaultPort: number) =>
  prefixed(prefix, { HOST: z.string().default('127.0.0.1'), PORT: port(defaultPort) });

/**
 * What every service that answers clients reads (the gateway, each subgraph): {@link commonEnv},
 * {@link tokenEnv}, NATS_URL, and where it listens ({@link listenEnv}).
 */
export const serviceEnv = <Prefix extends string>(prefix: Prefix, defaultPort: number) => ({
  ...commonEnv,
  ...tokenEnv,
  ...listenEnv(prefix, defaultPort),
  NATS_URL: natsUrl,
  NATS_STREAM_REPLICAS: natsStreamReplicas,
});

/**
 * What every subgraph reads, its own variables added beside: {@link serviceEnv}, the MariaDB server
 * (DATABASE_URL) and the database it owns, `<PREFIX>_DATABASE` (by default `letstalk_<prefix>`).
 */
export const subgraphEnv = <Prefix extends string>(prefix: Prefix, defaultPort: number) => ({
  ...serviceEnv(prefix, defaultPort),
  DATABASE_URL: databaseUrl,
  DATABASE_READ_URL: databaseReadUrl,
  ...prefixed(prefix, { DATABASE: databaseName(prefix.toLowerCase()) }),
});

/**
 * What every worker process reads: {@link commonEnv}, NATS_URL, the MariaDB server and its subgraph's
 * database (`<PREFIX>_DATABASE`), and where its `/healthz`, `/readyz` and `/metrics` listen
 * (`<PREFIX>_WORKER_HOST`, `<PREFIX>_WORKER_PORT`).
 */
export const workerEnv = <Prefix extends string>(prefix: Prefix, defaultPort: number) => ({
  ...commonEnv,
  NATS_URL: natsUrl,
  NATS_STREAM_REPLICAS: natsStreamReplicas,
  DATABASE_URL: databaseUrl,
  ...prefixed(prefix, { DATABASE: databaseName(prefix.toLowerCase()) }),
  ...listenEnv(`${prefix}_WORKER`, defaultPort),
});

/**
 * A name server as c-ares's `setServers` takes it: `10.0.0.2`, `10.0.0.2:53`, `fd00::53` or `[fd00::53]:53`.
 * The port is checked here because Node 20 aborts the whole process on `10.0.0.2:0`.
 */
function isNameServer(entry: string): boolean {
  if (net.isIP(entry) !== 0) return true;
  const match = /^(?:\[(?<ipv6>[^\]]+)\]|(?<ipv4>[^:]+))(?::(?<portNumber>\d{1,5}))?$/.exec(entry);
  if (!match?.groups) return false;
  const { ipv6, ipv4, portNumber } = match.groups;
  if (portNumber !== undefined && (Number(portNumber) < 1 || Number(portNumber) > 65535)) return false;
  return ipv6 !== undefined ? net.isIPv6(ipv6) : net.isIPv4(ipv4!);
}

/** A comma-separated list (of hosts, say), trimmed, without empty entries; empty by default. */
export const commaList = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    );

/** How link previews fetch pages; read by the preview worker (pages) and the media worker (their images). */
export const previewFetchEnv = {
  /**
   * URL hosts (comma-separated IP literals or names) that may be fetched although they are not public
   * addresses, on any port: an intranet wiki, or 127.0.0.1 in tests. Empty by default: public only.
   */
  PREVIEW_ALLOW_HOSTS: commaList(),
  /**
   * The name servers both workers ask for linked hosts' addresses (comma-separated `ip:port`, IPv6 as
   * `[::1]:53`); the system's (resolv.conf) when unset. Tests point it at a fake server on 127.0.0.1.
   */
  PREVIEW_DNS_SERVERS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((server) => server.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .refine(isNameServer, 'each must be an IP address with an optional port: 10.0.0.2:53, [fd00::53]:53'),
        )
        .min(1),
    )
    .optional(),
  /** Sent with every fetch; name your server and a contact so site owners know who asks. */
  PREVIEW_USER_AGENT: z
    .string()
    .min(1)
    .default('Mozilla/5.0 (compatible; LetsTalk-LinkPreview/1.0; link previews for a LetsTalk chat server)'),
};

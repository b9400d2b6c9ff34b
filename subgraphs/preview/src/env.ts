import net from 'node:net';
import { commonEnv, databaseName, databaseUrl, loadConfig, natsUrl, port, previewFetchEnv, tokenEnv, z } from '@letstalk/config';

const seconds = (defaultSeconds: number) => z.coerce.number().int().min(1).default(defaultSeconds);

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
  /**
   * The name servers the worker asks for linked hosts' addresses (comma-separated `ip:port`, IPv6 as
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
    .pipe(z.array(z.string().refine(isNameServer, 'each must be an IP address with an optional port: 10.0.0.2:53, [fd00::53]:53')).min(1))
    .optional(),
};

export type PreviewEnv = ReturnType<typeof loadPreviewEnv>;

/** Every variable the preview subgraph and its worker read, validated at boot. */
export function loadPreviewEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('preview subgraph', shape, env);
}

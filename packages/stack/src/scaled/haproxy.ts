import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canConnectTcp, findExecutable, waitFor } from '../services.ts';

/** What the balancer answers itself, by status: the error code and message of a GraphQL error. */
const BALANCER_ERRORS: Record<number, [code: string, message: string]> = {
  400: ['BAD_USER_INPUT', 'The request could not be read (malformed, or its request line and headers too large).'],
  408: ['BAD_USER_INPUT', 'The request took too long to arrive.'],
  429: ['RATE_LIMITED', 'Too many connections from this address.'],
  500: ['INTERNAL_SERVER_ERROR', 'The balancer failed.'],
  502: ['UNAVAILABLE', 'No instance answered; try again in a moment.'],
  503: ['UNAVAILABLE', 'No instance is ready; try again in a moment.'],
  504: ['UNAVAILABLE', 'No instance answered in time; try again in a moment.'],
};

/** One balanced service: where HAProxy listens, and the instances it spreads requests over. */
export interface Balanced {
  name: string;
  port: number;
  servers: { name: string; port: number }[];
  /**
   * For the gateways: the balancer says who the client is (`X-Forwarded-For`, one more hop for them to trust), and
   * caps a client network's WebSockets (an IPv4 address, an IPv6 /64) at `max` over all instances, as each
   * instance caps only its own; the client is the connection's source, or (`forwarded`) the last address of the
   * `X-Forwarded-For` a proxy before the balancer set.
   */
  clients?: { maxSockets: number; forwarded: boolean };
}

/**
 * HAProxy's configuration for `services`, all on 127.0.0.1: round robin over the instances that answer
 * `/readyz` with 200 (checked every second, each check given 5 s; three failures in a row take one out, one
 * success puts it back; when none does, over all of them), requests retried on another instance when one refuses
 * the connection (a killed process), and WebSockets (graphql-ws) kept open for as long as they live (the `tunnel`
 * timeout).
 */
export function haproxyConfig(services: readonly Balanced[]): string {
  const lines = [
    'global',
    // Two descriptors a connection: within the 20,000 a process may open here.
    '  maxconn 8000',
    // Room for the request lines and headers the gateway takes itself (Node's 16 KiB), so that it answers those too
    // large with its own error rather than the balancer with an HTML page.
    '  tune.bufsize 32768',
    'defaults',
    '  mode http',
    // Each frontend's own cap, set: HAProxy's default for a frontend is below the global one, and a benchmark
    // holds 2,000 sockets on the gateways' frontend alone.
    '  maxconn 8000',
    '  option redispatch',
    '  retries 3',
    // Only a connection refused is retried (a killed instance): the request never reached it, so no mutation runs twice.
    '  retry-on conn-failure',
    '  timeout connect 2s',
    // A busy instance answers /readyz late, not never: with the check's default of a second, both gateways of an
    // overloaded machine were taken out at once.
    '  timeout check 5s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout tunnel 1h',
    '  timeout http-request 30s',
    // The balancer's own refusals in the API's shape (JSON errors with a code), not HTML pages.
    ...Object.entries(BALANCER_ERRORS).map(
      ([status, [code, message]]) =>
        `  http-error status ${status} content-type application/json string '${JSON.stringify({
          errors: [{ message, extensions: { code } }],
        })}'`,
    ),
  ];
  for (const service of services) {
    lines.push(
      `frontend ${service.name}`,
      `  bind 127.0.0.1:${service.port}`,
      ...(service.clients ? clientLines(service.clients) : []),
      `  default_backend ${service.name}`,
      `backend ${service.name}`,
      '  balance roundrobin',
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      ...service.servers.map(
        (server) => `  server ${server.name} 127.0.0.1:${server.port} check inter 1s fall 3 rise 1`,
      ),
      // Failing open, as Envoy's panic threshold does: when every instance answers /readyz with an error (a shared
      // dependency's blip, or all of them too busy to answer in time), requests go to them all the same rather than
      // every client getting 503s; an instance that is down still refuses, and is retried on another.
      '  option allbackups',
      ...service.servers.map((server) => `  server ${server.name}-open 127.0.0.1:${server.port} backup`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** See Balanced.clients: the WebSocket cap per client network, and `X-Forwarded-For` for the instances. */
function clientLines(clients: NonNullable<Balanced['clients']>): string[] {
  const client = clients.forwarded ? 'req.hdr_ip(x-forwarded-for,-1)' : 'src';
  return [
    '  option forwardfor',
    '  stick-table type ipv6 size 1m expire 1h store conn_cur',
    '  acl websocket hdr(upgrade) -i websocket',
    `  http-request track-sc0 ${client},ipmask(32,64) if websocket`,
    `  http-request deny deny_status 429 if websocket { sc0_conn_cur gt ${clients.maxSockets} }`,
  ];
}

/** Runs the installed `haproxy` (Debian: apt-get install haproxy) in the foreground with `services`. */
export async function startHaproxy(dir: string, services: readonly Balanced[]): Promise<ChildProcess> {
  const haproxy = findExecutable('haproxy');
  if (!haproxy) throw new Error('haproxy is not installed (Debian: apt-get install haproxy).');
  const path = join(dir, 'haproxy.cfg');
  await writeFile(path, haproxyConfig(services));
  const child = spawn(haproxy, ['-f', path, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await Promise.all(
    services.map((service) => waitFor(() => canConnectTcp('127.0.0.1', service.port), 'haproxy', child)),
  );
  return child;
}

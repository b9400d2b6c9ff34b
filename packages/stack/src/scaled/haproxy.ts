import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canConnectTcp, findExecutable, waitFor } from '../services.ts';

/** One balanced service: where HAProxy listens, and the instances it spreads requests over. */
export interface Balanced {
  name: string;
  port: number;
  servers: { name: string; port: number }[];
}

/**
 * HAProxy's configuration for `services`, all on 127.0.0.1: round robin over the instances that answer
 * `/readyz` with 200 (checked every second; two failures take one out, one success puts it back), requests
 * retried on another instance when one refuses the connection (a killed process), and WebSockets (graphql-ws)
 * kept open for as long as they live (the `tunnel` timeout).
 */
export function haproxyConfig(services: readonly Balanced[]): string {
  const lines = [
    'global',
    // Two descriptors a connection: within the 20,000 a process may open here.
    '  maxconn 8000',
    'defaults',
    '  mode http',
    '  option redispatch',
    '  retries 3',
    // Only a connection refused is retried (a killed instance): the request never reached it, so no mutation runs twice.
    '  retry-on conn-failure',
    '  timeout connect 2s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout tunnel 1h',
    '  timeout http-request 30s',
  ];
  for (const service of services) {
    lines.push(
      `frontend ${service.name}`,
      `  bind 127.0.0.1:${service.port}`,
      `  default_backend ${service.name}`,
      `backend ${service.name}`,
      '  balance roundrobin',
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      ...service.servers.map(
        (server) => `  server ${server.name} 127.0.0.1:${server.port} check inter 1s fall 2 rise 1`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
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

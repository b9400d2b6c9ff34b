import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Sends one hand-written HTTP/1.1 request line (any target, as a hostile client would write it: absolute
 * form, backslashes, percent-encoded dots) over a raw socket, and returns the status code and body.
 */
export async function rawHttpRequest(
  baseUrl: string,
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect(Number(port), hostname);
  const head = [`${options.method ?? 'GET'} ${target} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(options.headers ?? {})) head.push(`${name}: ${value}`);
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('latin1');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (!status) throw new Error(`Not an HTTP answer to ${target}: ${JSON.stringify(text.slice(0, 200))}`);
  return { status: Number(status[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

/**
 * A TCP listener on another loopback address (127.0.0.2 by default) that records every connection it
 * gets: a request that must never leave the server for a host it did not mean to shows up here.
 */
export async function startDecoyListener(
  host = '127.0.0.2',
): Promise<{ host: string; port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\ndecoy!');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

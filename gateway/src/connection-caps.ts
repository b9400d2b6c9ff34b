import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientNetwork } from '@letstalk/server';
import { rateLimitRefusals } from '@letstalk/metrics';

/**
 * Default of GATEWAY_MAX_CONNECTIONS_PER_IP: open TCP connections from one client network (an IPv4 address
 * or an IPv6 /64, as every per-client limit counts), with no proxy in front.
 */
export const MAX_CONNECTIONS_PER_IP = 256;
/** Default of GATEWAY_MAX_WS_CONNECTIONS_PER_IP: graphql-ws connections from one client network. */
export const MAX_WS_CONNECTIONS_PER_IP = 100;

/**
 * Counts open things per key and refuses one over `max`: `acquire` answers a release function, or
 * undefined when the key is full. A key leaves the map with its last release, so the map holds only
 * what is open.
 */
export class PerKeyCap {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  acquire(key: string): (() => void) | undefined {
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return undefined;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Keys with something open. */
  get size(): number {
    return this.open.size;
  }
}

/**
 * Closes, at once, a TCP connection from an address that holds `max` open ones already. Only for a
 * server reached without a proxy in front: behind one, every connection comes from the proxy, which
 * must cap its clients itself (the gateway still caps graphql-ws connections per forwarded address).
 */
export function capConnectionsPerAddress(server: Server, max: number): PerKeyCap {
  const cap = new PerKeyCap(max);
  server.on('connection', (socket: Socket) => {
    // By network: a client given an IPv6 /64 could otherwise take a new address per connection.
    const release = cap.acquire(clientNetwork(socket.remoteAddress ?? ''));
    if (!release) {
      rateLimitRefusals.inc({ limit: 'gateway-connections-per-ip' });
      socket.destroy();
      return;
    }
    socket.once('close', release);
  });
  return cap;
}

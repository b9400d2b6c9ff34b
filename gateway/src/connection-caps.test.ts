import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capConnectionsPerAddress, PerKeyCap } from './connection-caps.ts';

describe('PerKeyCap', () => {
  it('refuses a key over its cap, counts a release once, and forgets a key with nothing open', () => {
    const cap = new PerKeyCap(2);
    const first = cap.acquire('a')!;
    const second = cap.acquire('a')!;
    expect(cap.acquire('a')).toBeUndefined();
    expect(cap.acquire('b')).toBeDefined();
    first();
    first();
    expect(cap.acquire('a')).toBeDefined();
    expect(cap.acquire('a')).toBeUndefined();
    second();
    expect(cap.size).toBe(2);
  });
});

describe('capConnectionsPerAddress', () => {
  const sockets: net.Socket[] = [];
  let server: http.Server | undefined;
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('closes a connection from an address that holds its cap of open ones, and takes one again once one closes', async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    const cap = capConnectionsPerAddress(server, 3);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    /** Opens a socket and says whether the server answers a request on it. */
    const connect = async () => {
      const socket = net.connect(port, '127.0.0.1');
      sockets.push(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      return new Promise<{ socket: net.Socket; answered: boolean }>((resolve) => {
        socket.once('data', () => resolve({ socket, answered: true }));
        socket.once('close', () => resolve({ socket, answered: false }));
      });
    };
    const open = [await connect(), await connect(), await connect()];
    expect(open.map((each) => each.answered)).toEqual([true, true, true]);
    expect((await connect()).answered).toBe(false);
    open[0]!.socket.destroy();
    await expect.poll(async () => (await connect()).answered, { timeout: 5_000, interval: 50 }).toBe(true);
    expect(cap.size).toBe(1);
  });
});

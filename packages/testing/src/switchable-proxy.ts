import net, { type AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real service, for outage tests: `cut()` closes every connection
 * through it and refuses new ones (as a process that died would), `restore()` takes them again on the same
 * port. The service itself keeps running; only the path to it fails.
 */
export async function startSwitchableProxy(
  targetUrl: string,
): Promise<{ url: string; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  let server = listen();
  function listen(port = 0): net.Server {
    return net
      .createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.once('error', () => upstream.destroy());
        upstream.once('error', () => client.destroy());
      })
      .listen(port, '127.0.0.1');
  }
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const cut = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: `${target.protocol}//127.0.0.1:${port}${target.pathname}`,
    cut,
    restore: async () => {
      server = listen(port);
      await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
    },
    close: () => (server.listening ? cut() : Promise.resolve()),
  };
}

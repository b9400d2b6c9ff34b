import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The fan-out baseline: a plain `ws` server in a process of its own that sends the same bytes to every
 * connected socket, as fast as one process can. The parent tells it what and how often.
 */
export type BroadcastCommand = { type: 'broadcast'; bytes: string; times: number } | { type: 'close' };

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port }));

// A benchmark that failed leaves no clients behind: the parent's channel closing ends this process.
process.on('disconnect', () => process.exit(0));

process.on('message', (command: BroadcastCommand) => {
  if (command.type === 'close') {
    server.close();
    process.exit(0);
  }
  for (let time = 0; time < command.times; time += 1) {
    for (const socket of server.clients) socket.send(command.bytes);
  }
  process.send?.({ type: 'sent' });
});

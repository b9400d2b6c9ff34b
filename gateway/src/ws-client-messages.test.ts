import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { REFUSED_FRAME_LINGER_MS, refuseBadClientFrames } from './ws-client-messages.ts';

const MAX_PAYLOAD = 1024;
/** A close frame from the server (unmasked) with 1009, "message too big", and no reason. */
const CLOSE_1009 = Buffer.from([0x88, 0x02, 0x03, 0xf1]);

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  server = undefined;
});

/** A WebSocket server with the filter, and a raw TCP client past its upgrade: what it received, and whether it ended. */
async function upgradedClient() {
  server = createServer();
  const wss = new WebSocketServer({ server, maxPayload: MAX_PAYLOAD });
  refuseBadClientFrames(wss);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const client = { socket, received: Buffer.alloc(0), ended: false };
  socket.on('data', (chunk: Buffer) => (client.received = Buffer.concat([client.received, chunk])));
  socket.on('end', () => (client.ended = true));
  socket.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  await expect.poll(() => client.received.includes('\r\n\r\n')).toBe(true);
  client.received = client.received.subarray(client.received.indexOf('\r\n\r\n') + 4);
  return client;
}

/** The start of a masked text frame that says it carries `length` bytes (more than 65,535), and 8 KiB of it. */
function oversizedFrameStart(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([header, Buffer.alloc(8 * 1024, 0x78)]);
}

describe('a frame ws refuses', () => {
  it('is answered with its close frame, and the server ends the connection only after the client ends it', async () => {
    const client = await upgradedClient();
    client.socket.write(oversizedFrameStart(2_000_000));
    await expect.poll(() => client.received.equals(CLOSE_1009)).toBe(true);

    // The client is still sending the frame: a proxy would abort both sides, close frame and all, on the
    // server's end. The rest is read and dropped.
    client.socket.write(Buffer.alloc(64 * 1024, 0x78));
    await new Promise((wait) => setTimeout(wait, REFUSED_FRAME_LINGER_MS / 4));
    expect(client.ended).toBe(false);

    client.socket.end();
    await expect.poll(() => client.ended, { timeout: REFUSED_FRAME_LINGER_MS / 4 }).toBe(true);
  });

  it('the server ends the connection itself when the client does not, after REFUSED_FRAME_LINGER_MS', async () => {
    const client = await upgradedClient();
    const sent = Date.now();
    client.socket.write(oversizedFrameStart(2_000_000));
    await expect.poll(() => client.ended, { timeout: REFUSED_FRAME_LINGER_MS * 2 }).toBe(true);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(REFUSED_FRAME_LINGER_MS - 100);
    expect(client.received.equals(CLOSE_1009)).toBe(true);
  });
});

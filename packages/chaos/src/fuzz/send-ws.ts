import { WebSocket, type RawData } from 'ws';
import { TOKEN_PLACEHOLDER, type WsStep } from './types.ts';

/** What came back on one graphql-ws connection. */
export interface WsObservation {
  /** The HTTP status of a refused upgrade. */
  upgradeStatus?: number;
  upgradeBody?: string;
  frames: string[];
  closeCode?: number;
  closeReason?: string;
  /** The pass closed (or cut) the socket itself, or the server did. */
  closedBy: 'client' | 'server' | 'none';
  failure?: string;
}

/** After the last step: how long to wait for answers that are still coming, and at most in all. */
const QUIET_MS = 250;
const MAX_WAIT_MS = 5_000;

const textOf = (data: RawData): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString()
    : Buffer.isBuffer(data)
      ? data.toString()
      : Buffer.from(data).toString();

/** Read through a function: TypeScript narrows readyState after one check and cannot see it change. */
const isClosed = (socket: WebSocket) => socket.readyState === WebSocket.CLOSED;

/** Plays a script of frames on a new graphql-ws connection and records every frame and the close. */
export async function playWebSocket(options: {
  url: string;
  protocol: string | null;
  steps: WsStep[];
  token: string;
  clientIp: string;
}): Promise<WsObservation> {
  const url = options.url.replace(/^http/, 'ws');
  // `ws` gives up on a connection whose server picked none of the subprotocols asked for: any other than
  // graphql-ws's own goes in the header by hand, so that what the server does with it is seen.
  const own = options.protocol === 'graphql-transport-ws';
  const socket = new WebSocket(url, own ? [options.protocol!] : [], {
    headers: {
      'x-forwarded-for': options.clientIp,
      ...(own || options.protocol === null ? {} : { 'sec-websocket-protocol': options.protocol }),
    },
    maxPayload: 16 * 1024 * 1024,
    handshakeTimeout: 10_000,
  });
  const observation: WsObservation = { frames: [], closedBy: 'none' };
  let lastActivity = Date.now();
  const closed = new Promise<void>((resolve) => {
    socket.on('unexpected-response', (_request, response) => {
      observation.upgradeStatus = response.statusCode;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        observation.upgradeBody = Buffer.concat(chunks).toString();
        resolve();
      });
      response.on('error', () => resolve());
    });
    socket.on('message', (data) => {
      observation.frames.push(textOf(data));
      lastActivity = Date.now();
    });
    socket.on('close', (code, reason) => {
      observation.closeCode = code;
      observation.closeReason = reason.toString();
      if (observation.closedBy === 'none') observation.closedBy = 'server';
      resolve();
    });
    socket.on('error', (error) => {
      observation.failure ??= error.message;
      if (socket.readyState === WebSocket.CLOSED) resolve();
    });
  });
  const opened = await Promise.race([
    new Promise<boolean>((resolve) => socket.once('open', () => resolve(true))),
    closed.then(() => false),
  ]);
  if (!opened) return observation;
  const started = Date.now();
  for (const step of options.steps) {
    if (socket.readyState !== WebSocket.OPEN) break;
    if ('text' in step) socket.send(step.text.split(TOKEN_PLACEHOLDER).join(options.token));
    else if ('binary' in step) socket.send(Buffer.from(step.binary));
    else if ('pause' in step) await new Promise((wait) => setTimeout(wait, step.pause));
    else {
      observation.closedBy = 'client';
      // 1006 cannot be sent: it stands for cutting the connection without a close frame.
      if (step.close === 1006) socket.terminate();
      else socket.close(step.close);
    }
    lastActivity = Date.now();
  }
  for (;;) {
    if (socket.readyState === WebSocket.CLOSED) break;
    const now = Date.now();
    if (now - lastActivity >= QUIET_MS || now - started >= MAX_WAIT_MS) break;
    await Promise.race([closed, new Promise((wait) => setTimeout(wait, 50))]);
  }
  if (!isClosed(socket)) {
    if (observation.closedBy === 'none') observation.closedBy = 'client';
    socket.close(1000);
    await Promise.race([closed, new Promise((wait) => setTimeout(wait, 2_000))]);
    if (!isClosed(socket)) socket.terminate();
  }
  return observation;
}

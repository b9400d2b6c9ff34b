import type { Socket } from 'node:net';
import type { RawData, WebSocketServer } from 'ws';

/** graphql-transport-ws messages only a server sends. */
const SERVER_MESSAGE_TYPES = new Set(['connection_ack', 'next', 'error']);
/** graphql-ws's close code for an invalid message (CloseCode.BadRequest). */
const WS_CLOSE_BAD_REQUEST = 4400;

const textOf = (data: RawData) =>
  Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data as ArrayBuffer).toString();

function isServerMessage(data: unknown): boolean {
  const text = textOf(data as RawData);
  if (!/"(connection_ack|next|error)"/.test(text)) return false;
  try {
    return SERVER_MESSAGE_TYPES.has((JSON.parse(text) as { type?: unknown } | null)?.type as string);
  } catch {
    return false;
  }
}

/**
 * After `ws` refuses a frame, how long the server waits for the client to end its side of the connection
 * before it ends its own (see endWhenClientEnds).
 */
export const REFUSED_FRAME_LINGER_MS = 2_000;

/**
 * Holds back the server's end of a connection whose client sent a frame `ws` refused until the client ends
 * its side, or for REFUSED_FRAME_LINGER_MS. `ws` sends its close frame (1009, 1007, 1002) and at once ends
 * the connection, while the client may still be sending the refused frame: a proxy in between (HAProxy 2.6)
 * then aborts both sides, and the client gets the connection cut without the close frame (1006), which a
 * graphql-ws client takes as worth retrying. The rest of the refused frame is read and dropped meanwhile.
 */
function endWhenClientEnds(raw: Socket): void {
  if (raw.readableEnded) return;
  const end = raw.end.bind(raw);
  const release = () => {
    clearTimeout(timer);
    raw.end = end;
  };
  const timer = setTimeout(() => {
    release();
    end();
  }, REFUSED_FRAME_LINGER_MS);
  // `ws` ends the socket when its close frame is written, and again when the client ends its side: the first
  // waits, the second (the client's `end`, which has been emitted by then) goes through.
  raw.end = ((...args: Parameters<Socket['end']>) => (raw.readableEnded ? end(...args) : raw)) as Socket['end'];
  raw.once('close', release);
}

/**
 * Turns client mistakes into the close codes that say so. graphql-ws 6 throws on a client's message of a type
 * only servers send (`connection_ack`, `next`, `error`): its ws adapter logs the throw as an internal error and
 * closes with 4500. It is the client's mistake, so such a message is refused here, before graphql-ws sees it,
 * with 4400 as any other invalid message. A frame `ws` itself refuses is not handed to graphql-ws as an internal
 * error to log, and its close frame reaches the client (see endWhenClientEnds). Call before graphql-ws's
 * `useServer`: the filter must be in place when a socket's first message arrives.
 */
export function refuseBadClientFrames(wss: WebSocketServer): void {
  wss.on('connection', (socket, request) => {
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      // A frame `ws` refuses (too large, not UTF-8, a bad opcode): `ws` closes the socket itself (1009, 1007,
      // 1002), and graphql-ws would log the client's mistake as an internal error.
      if (event === 'error' && /^WS_ERR_/.test(String((args[0] as { code?: unknown } | undefined)?.code))) {
        endWhenClientEnds(request.socket);
        return true;
      }
      if (event === 'message' && isServerMessage(args[0])) {
        socket.close(WS_CLOSE_BAD_REQUEST, 'Invalid message received');
        return false;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
  });
}

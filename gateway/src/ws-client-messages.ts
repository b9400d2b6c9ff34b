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
 * graphql-ws 6 throws on a client's message of a type only servers send (`connection_ack`, `next`, `error`):
 * its ws adapter logs the throw as an internal error and closes with 4500. It is the client's mistake, so such a
 * message is refused here, before graphql-ws sees it, with 4400 as any other invalid message; and a frame `ws`
 * itself refuses is not handed to graphql-ws as an internal error to log. Call before graphql-ws's `useServer`:
 * the filter must be in place when a socket's first message arrives.
 */
export function refuseServerMessagesFromClients(wss: WebSocketServer): void {
  wss.on('connection', (socket) => {
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      // A frame `ws` refuses (too large, not UTF-8, a bad opcode): `ws` closes the socket itself (1009, 1007,
      // 1002), and graphql-ws would log the client's mistake as an internal error.
      if (event === 'error' && /^WS_ERR_/.test(String((args[0] as { code?: unknown } | undefined)?.code))) return true;
      if (event === 'message' && isServerMessage(args[0])) {
        socket.close(WS_CLOSE_BAD_REQUEST, 'Invalid message received');
        return false;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
  });
}

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { liveResumeCloses, slowConsumerCloses } from '@letstalk/metrics';

/** Bytes a socket may have waiting to be sent before it counts as a slow consumer and is closed. */
export const MAX_SOCKET_BUFFERED_BYTES = 1024 * 1024;
/** Close code for a client that does not read fast enough (WebSocket "try again later"). */
export const WS_CLOSE_SLOW_CONSUMER = 1013;
/**
 * Close code for a client whose live events were interrupted on the server's side (WebSocket "service
 * restart"): it reconnects and resumes from its cursors. graphql-ws clients retry it.
 */
export const WS_CLOSE_RESUME = 1012;

/** TCP sockets corked during this tick. */
const corked = new Set<Socket>();

function uncorkAll(): void {
  for (const tcp of corked) tcp.uncork();
  corked.clear();
}

/**
 * Holds a socket's writes until the current tick ends, so the frames of a subscriber that is catching up
 * (several payloads ready at once) leave in one write instead of one system call each. `ws` keeps its TCP
 * socket private (`_socket`); without one, frames are written as usual.
 */
function corkUntilTickEnds(socket: WebSocket): void {
  const tcp = (socket as unknown as { _socket?: Socket })._socket;
  if (!tcp || corked.has(tcp)) return;
  tcp.cork();
  if (corked.size === 0) process.nextTick(uncorkAll);
  corked.add(tcp);
}

/**
 * Writes a graphql-ws `next` message around payload JSON made once per shared payload; false when the
 * socket is closed, or too slow: a client that does not read lets the send buffer grow, and is closed
 * (1013) rather than allowed to hold its backlog in the gateway's memory.
 */
export function sendNext(
  socket: Pick<WebSocket, 'readyState' | 'OPEN' | 'bufferedAmount' | 'close' | 'send'>,
  operationId: string,
  json: string,
): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount > MAX_SOCKET_BUFFERED_BYTES) {
    slowConsumerCloses.inc({ reason: 'send_buffer' });
    socket.close(WS_CLOSE_SLOW_CONSUMER, 'Too far behind');
    return false;
  }
  socket.send(`{"id":${JSON.stringify(operationId)},"type":"next","payload":${json}}`);
  return true;
}

/**
 * Where live delivery writes one subscription's results, as JSON made once per shared payload (graphql-ws
 * would serialize each result again for every subscriber).
 */
export interface LiveSink {
  /** Writes one result; false when the subscriber is gone or too slow, which ends the subscription. */
  send(json: string): boolean;
  /** Drops a subscriber that fell too far behind: the client reconnects and resumes. */
  closeTooSlow(): void;
  /** Drops a subscriber whose live events were interrupted (counted once per socket): it reconnects and resumes. */
  closeToResume(): void;
}

/** The sink of a subscription over graphql-ws: its frames go straight to the socket. */
export class SocketOutput implements LiveSink {
  /** The socket the operation came over and its id there (see GatewayContext); none for HTTP. */
  constructor(
    private readonly socket: WebSocket | undefined,
    private readonly operationId: string | undefined,
  ) {}

  /** Writes one result; false when the socket is gone or too slow, which ends the subscription. */
  send(json: string): boolean {
    if (!this.socket || this.operationId === undefined) return false;
    corkUntilTickEnds(this.socket);
    return sendNext(this.socket, this.operationId, json);
  }

  /** Closes the socket of a subscriber that fell too far behind: the client reconnects and resumes. */
  closeTooSlow(): void {
    this.socket?.close(WS_CLOSE_SLOW_CONSUMER, 'Too far behind');
  }

  /** Closes the socket of a subscriber whose live events were interrupted: the client reconnects and resumes. */
  closeToResume(): void {
    if (!this.socket || this.socket.readyState !== this.socket.OPEN) return;
    liveResumeCloses.inc();
    this.socket.close(WS_CLOSE_RESUME, 'Live events interrupted; resume');
  }
}

import { WebSocket } from 'ws';

/**
 * A benchmark client process: opens many WebSocket connections (graphql-ws, or raw for the baseline) on
 * its parent's command, counts what arrives, and measures latency from a send time carried in the text
 * (`bench@<epoch ms>`). Run as a child so that many sockets fit under one process's file limit.
 */
export type ClientCommand =
  | {
      type: 'connect';
      url: string;
      protocol: 'graphql-ws' | 'raw';
      /** One access token per connection (graphql-ws only). */
      tokens: string[];
      /** Sent once per connection after the ack (graphql-ws only). */
      subscribe?: { query: string; variables: Record<string, unknown> };
    }
  | { type: 'stats'; reset: boolean }
  | { type: 'close' };

export type ClientReply =
  | { type: 'connected'; connections: number; failures: number }
  | { type: 'stats'; deliveries: number; latenciesMs: number[]; sample: string | null; closed: number };

const now = () => performance.timeOrigin + performance.now();
const SENT_AT = /bench@(\d+(?:\.\d+)?)/;

const sockets: WebSocket[] = [];
let deliveries = 0;
let latenciesMs: number[] = [];
let sample: string | null = null;
let closed = 0;

function onMessage(data: Buffer, isGraphql: boolean) {
  const text = data.toString();
  if (isGraphql && !text.startsWith('{"id"')) return; // acks, pings
  deliveries += 1;
  sample ??= text;
  const sentAt = SENT_AT.exec(text);
  if (sentAt) latenciesMs.push(now() - Number(sentAt[1]));
}

function open(command: Extract<ClientCommand, { type: 'connect' }>, token: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const graphql = command.protocol === 'graphql-ws';
    const socket = new WebSocket(command.url, graphql ? 'graphql-transport-ws' : undefined, {
      perMessageDeflate: false,
    });
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      resolve(ok);
    };
    socket.on('error', () => settle(false));
    socket.on('close', () => {
      closed += 1;
      settle(false);
    });
    socket.on('open', () => {
      sockets.push(socket);
      if (!graphql) {
        settle(true);
        return;
      }
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    });
    socket.on('message', (data: Buffer) => {
      if (graphql && !settled) {
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type !== 'connection_ack') return;
        if (command.subscribe) {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: command.subscribe }));
        }
        settle(true);
        return;
      }
      onMessage(data, graphql);
    });
  });
}

// A benchmark that failed leaves no clients behind: the parent's channel closing ends this process.
process.on('disconnect', () => process.exit(0));

/** Carries out one of the parent's commands, and answers it. */
async function obey(command: ClientCommand): Promise<void> {
  if (command.type === 'connect') {
    let failures = 0;
    const count = command.tokens.length;
    // A few hundred handshakes at a time: the server sees a realistic burst, not one of thousands.
    const BATCH = 200;
    for (let start = 0; start < count; start += BATCH) {
      const results = await Promise.all(
        command.tokens.slice(start, start + BATCH).map((token) => open(command, token)),
      );
      failures += results.filter((ok) => !ok).length;
    }
    process.send?.({ type: 'connected', connections: sockets.length, failures } satisfies ClientReply);
  } else if (command.type === 'stats') {
    process.send?.({ type: 'stats', deliveries, latenciesMs, sample, closed } satisfies ClientReply);
    if (command.reset) {
      deliveries = 0;
      latenciesMs = [];
    }
  } else {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
}

// A failed command fails this process, as an unhandled rejection does.
process.on('message', (command: ClientCommand) => void obey(command));

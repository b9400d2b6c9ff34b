import type { Client } from 'graphql-ws';

/** The SDK tells the gateway its user is active at most this often (the gateway's AWAY takes 10 minutes). */
const ACTIVITY_REPORT_INTERVAL_MS = 30_000;

/**
 * `reportActivity` for a graphql-ws client: a graphql-ws `ping` on the open socket, which the gateway counts as
 * activity (a person whose every socket has sent nothing for 10 minutes shows as AWAY), at most once per
 * {@link ACTIVITY_REPORT_INTERVAL_MS}. Without an open socket it does nothing: opening one is activity already.
 */
export function activityReporter(ws: Client, now: () => number = Date.now): () => void {
  let socket: { readyState: number; send: (data: string) => void } | undefined;
  let lastReport = -Infinity;
  ws.on('opened', (opened) => {
    socket = opened as typeof socket;
  });
  ws.on('closed', () => {
    socket = undefined;
  });
  return () => {
    const at = now();
    if (socket?.readyState !== 1 || at - lastReport < ACTIVITY_REPORT_INTERVAL_MS) return;
    lastReport = at;
    socket.send(JSON.stringify({ type: 'ping' }));
  };
}

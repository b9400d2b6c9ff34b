import type { HttpObservation } from './send-http.ts';
import type { WsObservation } from './send-ws.ts';

/**
 * What a case came to, for the report's tally: `data`, the first error's code, or how the socket or request
 * ended. It shows how far the pass reaches: past validation (data, BAD_USER_INPUT, NOT_FOUND, FORBIDDEN,
 * RATE_LIMITED come from resolvers) or stopped at the door (parse, validation, 4xx of the HTTP layer).
 */
export function outcomeOfHttp(observation: HttpObservation): string {
  if (observation.status <= 0) return observation.status === 0 ? 'no answer' : 'not sent';
  const first = firstCode(observation.body);
  return first ?? `HTTP ${observation.status}`;
}

export function outcomeOfWs(observation: WsObservation): string {
  if (observation.upgradeStatus !== undefined) return `upgrade ${observation.upgradeStatus}`;
  for (const frame of observation.frames) {
    const code = firstCode(frame);
    if (code) return code;
  }
  if (observation.closedBy === 'server') return `closed ${observation.closeCode}`;
  return observation.frames.length > 1 ? 'live' : 'closed by the pass';
}

/** `data`, or the first error's code, of a GraphQL response or a graphql-ws frame; undefined for anything else. */
function firstCode(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const message = parsed as { type?: string; payload?: unknown; data?: unknown; errors?: unknown } | null;
  if (message?.type === 'error') return codeOf(message.payload);
  const body = (message?.type === 'next' ? message.payload : message) as { data?: unknown; errors?: unknown } | null;
  if (!body || typeof body !== 'object') return undefined;
  return codeOf(body.errors) ?? (body.data !== undefined && body.data !== null ? 'data' : undefined);
}

const codeOf = (errors: unknown): string | undefined => {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const code = (errors[0] as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' ? code : 'no code';
};

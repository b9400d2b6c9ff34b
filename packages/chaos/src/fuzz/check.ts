import type { HttpObservation } from './send-http.ts';
import type { WsObservation } from './send-ws.ts';

/**
 * Codes a refused request may carry (docs/api.md, "Errors"). INTERNAL_SERVER_ERROR and UNAVAILABLE say the
 * server failed: a fuzzed request must never cause either (UNAVAILABLE only as a subscription's replay limit).
 */
const CLIENT_ERROR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Text that only an internal error shows: a stack frame, a path on the server, a library's own error. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\n\s+at |\\n\s+at |^\s+at \S+ \(/m],
  ['a stack trace extension', /"(stacktrace|exception)":/],
  ['a server path', /\/work\/|\/home\/|\/usr\/|\/app\/|file:\/\//],
  ['node_modules', /node_modules/],
  ['an internal error name', /\b(TypeError|ReferenceError|RangeError|AggregateError|ZodError|DrizzleError)\b/],
  ['a database error', /\bER_[A-Z_]{3,}\b|\bSQL syntax\b|\bmysql2?\b/i],
  ['a system error', /\bE(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|ADDRINUSE)\b/],
  ['a JavaScript failure', /Cannot read propert|is not a function|Maximum call stack|in JSON at position/],
];

/** Leaks in `text`, leaving out what the request itself held (a message that echoes the input is no leak). */
function leaksIn(text: string, requestText: string): string[] {
  const found: string[] = [];
  for (const [name, pattern] of LEAKS) {
    const match = pattern.exec(text);
    if (match && !requestText.includes(match[0])) found.push(`${name} (${JSON.stringify(match[0])})`);
  }
  return found;
}

/** Problems with a list of GraphQL errors: each needs a registered client-side code. */
function checkErrors(errors: unknown, where: string, requestText: string): string[] {
  if (!Array.isArray(errors)) return [`${where}: errors is not a list`];
  // Only the errors are searched for leaks: data holds what people wrote (other cases' odd strings).
  const problems = leaksIn(JSON.stringify(errors), requestText).map((leak) => `${where} errors show ${leak}`);
  for (const error of errors as { message?: unknown; extensions?: { code?: unknown; reason?: unknown } }[]) {
    const code = error?.extensions?.code;
    const message = typeof error?.message === 'string' ? error.message : '';
    if (typeof error?.message !== 'string') problems.push(`${where}: an error without a message`);
    if (typeof code !== 'string')
      problems.push(`${where}: an error without extensions.code: ${JSON.stringify(message)}`);
    else if (code === 'UNAVAILABLE' && error.extensions?.reason === 'REPLAY_LIMIT') continue;
    else if (!CLIENT_ERROR_CODES.has(code)) problems.push(`${where}: ${code}: ${JSON.stringify(message)}`);
    if (typeof code !== 'string' && /Error:/.test(message)) problems.push(`${where}: an uncoded error message`);
  }
  return problems;
}

/** A GraphQL response body (HTTP, or a graphql-ws `next` payload). */
function checkGraphqlBody(body: unknown, where: string, requestText: string): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [`${where}: not a GraphQL response`];
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (errors === undefined) return data === undefined ? [`${where}: neither data nor errors`] : [];
  return checkErrors(errors, where, requestText);
}

/** The statuses of a refused request head: bad request, URI too long, header fields too large. */
const HEAD_REFUSALS = new Set([400, 414, 431]);

/** Whether a path answers GraphQL (JSON errors with codes) or is another route (health, media, 404s). */
const isGraphqlPath = (path: string) => /^\/graphql(\?|$)/.test(path);

/** Everything wrong with one HTTP answer; `path` is the request's target, `requestText` all it sent. */
export function checkHttp(
  observation: HttpObservation,
  options: { path: string; requestText: string; raw: boolean },
): string[] {
  if (observation.status === -1) return [];
  const problems: string[] = [];
  if (observation.status === 0) {
    // Bytes that are no HTTP may be dropped without an answer; a request must get one.
    if (!options.raw || /in time/.test(observation.failure ?? '')) problems.push(`no answer: ${observation.failure}`);
    return problems;
  }
  if (observation.status >= 500) problems.push(`HTTP ${observation.status}`);
  const json = /json/i.test(observation.contentType);
  if (!json) {
    problems.push(...leaksIn(observation.body, options.requestText).map((leak) => `body shows ${leak}`));
    // Node's own refusals (431, 400 from its parser) and 405 have no body to read; a head too large for any server
    // to read is refused, as its HTTP status says, by the first one (HAProxy's cannot be configured: its page).
    const headRefused = observation.headTooLarge === true && HEAD_REFUSALS.has(observation.status);
    if (
      isGraphqlPath(options.path) &&
      !options.raw &&
      observation.body !== '' &&
      observation.status !== 405 &&
      !headRefused
    )
      problems.push(`a GraphQL answer that is not JSON (${observation.contentType || 'no content type'})`);
    return problems;
  }
  let body: unknown;
  try {
    body = JSON.parse(observation.body);
  } catch {
    problems.push(...leaksIn(observation.body, options.requestText).map((leak) => `body shows ${leak}`));
    return [...problems, 'a JSON content type with a body that is not JSON'];
  }
  return [...problems, ...checkGraphqlBody(body, 'body', options.requestText)];
}

/** graphql-ws close codes that say the server failed (or dropped the socket without a close frame). */
const SERVER_FAILURE_CLOSES = new Set([1006, 1011, 1014, 4500]);
const FRAME_TYPES = new Set(['connection_ack', 'ping', 'pong', 'next', 'error', 'complete']);

/** Everything wrong with one graphql-ws conversation. */
export function checkWs(observation: WsObservation, requestText: string): string[] {
  const problems: string[] = [];
  if (observation.upgradeStatus !== undefined) {
    if (observation.upgradeStatus >= 500) problems.push(`upgrade answered ${observation.upgradeStatus}`);
    problems.push(...leaksIn(observation.upgradeBody ?? '', requestText).map((leak) => `upgrade shows ${leak}`));
    return problems;
  }
  if (observation.closeCode === undefined && observation.failure)
    problems.push(`connection failed: ${observation.failure}`);
  if (observation.closedBy === 'server' && SERVER_FAILURE_CLOSES.has(observation.closeCode ?? 0))
    problems.push(`closed by the server with ${observation.closeCode} ${JSON.stringify(observation.closeReason)}`);
  problems.push(...leaksIn(observation.closeReason ?? '', requestText).map((leak) => `close reason shows ${leak}`));
  for (const frame of observation.frames) {
    let message: { type?: unknown; payload?: unknown };
    try {
      message = JSON.parse(frame) as typeof message;
    } catch {
      problems.push(...leaksIn(frame, requestText).map((leak) => `a frame shows ${leak}`));
      problems.push(`a frame that is not JSON: ${frame.slice(0, 200)}`);
      continue;
    }
    if (!FRAME_TYPES.has(message.type as string)) problems.push(`a frame of unknown type ${String(message.type)}`);
    if (message.type === 'next') problems.push(...checkGraphqlBody(message.payload, 'next', requestText));
    if (message.type === 'error') problems.push(...checkErrors(message.payload, 'error', requestText));
  }
  return problems;
}

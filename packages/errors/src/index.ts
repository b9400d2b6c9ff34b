import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The error codes clients can rely on, with the HTTP status a request-level failure maps to.
 * Every `extensions.code` LetsTalk returns comes from this registry.
 */
const ERROR_CODES = {
  UNAUTHENTICATED: { status: 401, description: 'No valid access token, or a wrong, expired or reused credential.' },
  FORBIDDEN: { status: 403, description: 'Signed in, but not allowed to do this.' },
  NOT_FOUND: { status: 404, description: 'No such object, or not visible to the viewer.' },
  BAD_USER_INPUT: { status: 400, description: 'An argument is malformed, empty, too long or out of range.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'An upload or request body exceeds its limit.' },
  RATE_LIMITED: { status: 429, description: 'Too many attempts; retry after `extensions.retryAfterSeconds`.' },
  UNAVAILABLE: {
    status: 503,
    description:
      'A service this needs is down or too slow; retry (a live subscription: resume from the last cursor it delivered).',
  },
  INTERNAL_SERVER_ERROR: { status: 500, description: 'Something failed on the server; details are in its log.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Creates a client-facing error with a registered code and optional extra extensions. */
export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const unauthenticated = (message = 'Sign in first.') => appError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => appError('FORBIDDEN', message);
export const notFound = (message = 'Not found.') => appError('NOT_FOUND', message);
export const badUserInput = (message: string, field?: string) =>
  appError('BAD_USER_INPUT', message, field ? { field } : {});
export const unavailable = (message = 'A service this needs is not answering. Try again in a moment.') =>
  appError('UNAVAILABLE', message);
export const rateLimited = (retryAfterSeconds: number) =>
  appError('RATE_LIMITED', 'Too many attempts. Try again later.', {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
  });

const KNOWN_CODES = new Set<string>(Object.keys(ERROR_CODES));
/** Codes that graphql-js and Apollo Server produce for malformed operations; safe to show. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * True for a code that says the server failed (HTTP 5xx: INTERNAL_SERVER_ERROR, UNAVAILABLE), not the request;
 * an unregistered code is formatted as INTERNAL_SERVER_ERROR (see formatError), so it counts as one.
 */
export function isServerErrorCode(code: unknown): boolean {
  if (typeof code !== 'string') return true;
  if (PROTOCOL_CODES.has(code)) return false;
  return !KNOWN_CODES.has(code) || ERROR_CODES[code as ErrorCode].status >= 500;
}

/**
 * `formatError` for every Apollo Server in LetsTalk: registered and protocol errors pass with their
 * message; anything else is masked as INTERNAL_SERVER_ERROR unless `exposeInternals` (development).
 * Stack traces never leave the server.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  options: { exposeInternals: boolean; onInternal?: (error: GraphQLFormattedError) => void },
): GraphQLFormattedError {
  const given = formatted.extensions?.code;
  const code = typeof given === 'string' ? given : 'INTERNAL_SERVER_ERROR';
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
  if ((KNOWN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') || PROTOCOL_CODES.has(code)) {
    return { ...formatted, extensions: { ...extensions, code: code === 'BAD_REQUEST' ? 'BAD_USER_INPUT' : code } };
  }
  options.onInternal?.(formatted);
  if (options.exposeInternals) return { ...formatted, extensions: { ...extensions, code: 'INTERNAL_SERVER_ERROR' } };
  return {
    message: 'Internal server error.',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

import type { GraphQLFormattedError } from 'graphql';
import { formatError, unavailable } from '@letstalk/errors';
import { isTransientError } from '@letstalk/events';
import type { Logger } from '@letstalk/log';

/**
 * A subgraph's `formatError`: a resolver that failed because something it needs is away for a moment (MariaDB
 * restarting, NATS down, a deadlock: isTransientError) answers UNAVAILABLE, which clients retry, logged as a
 * warning; anything else goes through formatError (masked as INTERNAL_SERVER_ERROR, logged as an error).
 */
export function formatSubgraphError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { exposeInternals: boolean; log: Logger },
): GraphQLFormattedError {
  if (formatted.extensions?.code === undefined || formatted.extensions.code === 'INTERNAL_SERVER_ERROR') {
    if (isTransientError(error)) {
      options.log.warn({ err: error, path: formatted.path }, 'unavailable: a dependency is away');
      const { message, extensions } = unavailable();
      return {
        message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions,
      };
    }
  }
  return formatError(formatted, {
    exposeInternals: options.exposeInternals,
    onInternal: (internal) => options.log.error({ err: internal }, 'internal error'),
  });
}

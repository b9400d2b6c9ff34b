import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode, parse, type GraphQLFormattedError } from 'graphql';
import { badUserInput } from '@letstalk/errors';
import { withHttpStatus } from '@letstalk/server';

/**
 * A document whose operation cannot be picked (an `operationName` naming none of its operations, or several
 * operations and no name) is refused with OPERATION_RESOLUTION_FAILURE (HTTP 400), as graphql-ws answers it
 * (OperationLimits.prepare), before execution: Apollo's gateway executor would throw and Apollo answer 500.
 */
export function refuseUnresolvedOperations<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, request }) => {
        if (operation) return;
        const message =
          typeof request.operationName === 'string'
            ? `Unknown operation named "${request.operationName}".`
            : 'The document holds several operations: name the one to run (operationName).';
        throw withHttpStatus(new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }), 400);
      },
    }),
  };
}

/** The document of an HTTP GraphQL request: the JSON or multipart body's `query`, or GET's `?query=`. */
function documentOf(req: IncomingMessage & { body?: unknown }): string | undefined {
  const { body } = req;
  if (body && typeof body === 'object' && typeof (body as { query?: unknown }).query === 'string')
    return (body as { query: string }).query;
  const url = req.url ?? '';
  const search = url.indexOf('?');
  return search === -1 ? undefined : (new URLSearchParams(url.slice(search)).get('query') ?? undefined);
}

/**
 * Throws (HTTP 400, BAD_USER_INPUT) for an HTTP request whose document holds a subscription: they run over
 * graphql-ws only (the gateway runs them itself, `live/`). Called while the request's context is made, so before
 * Apollo parses and validates: Apollo's gateway cannot execute a subscription (500), and graphql-js 16's
 * SingleFieldSubscriptionsRule throws, instead of reporting, on an `@include`/`@skip` of a subscription's root
 * field without a usable `if` (500 too). Documents without the word cost one substring search.
 */
export function refuseSubscriptionOverHttp(req: IncomingMessage, maxTokens: number): void {
  const document = documentOf(req);
  if (!document?.includes('subscription')) return;
  let definitions;
  try {
    definitions = parse(document, { maxTokens }).definitions;
  } catch {
    return; // Apollo answers the syntax error.
  }
  const subscription = definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION,
  );
  if (subscription)
    throw withHttpStatus(
      badUserInput('Subscriptions run over graphql-ws (the graphql-transport-ws protocol) on this same path.'),
      400,
    );
}

/**
 * Apollo refuses some requests itself with HTTP 400 but no code (a persisted-query extension of another version,
 * or whose hash does not match its query), which Apollo then labels INTERNAL_SERVER_ERROR and formatError masks:
 * they are the client's mistake, BAD_USER_INPUT with Apollo's message.
 */
export function codeApolloRefusal(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR' || !(error instanceof GraphQLError)) return formatted;
  const http = error.extensions.http as { status?: unknown } | undefined;
  if (error.extensions.code !== undefined || http?.status !== 400) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
}

import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { isServerErrorCode } from '@letstalk/errors';
import { graphqlErrors, graphqlRequestDuration, operationLabel, operationNameCap } from '@letstalk/metrics';

/** `ok` without errors; `server_error` when one error is the server's (a 5xx code); else `client_error`. */
function outcomeOf(errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors?.length) return 'ok';
  return errors.some((error) => isServerErrorCode(error.extensions?.code)) ? 'server_error' : 'client_error';
}

/**
 * Records every operation Apollo Server executes (over HTTP, and the gateway's `executeOperation` calls):
 * its latency by operation name and outcome, and each error's code as the client receives it (after
 * `formatError`). Operation names are capped per plugin (see operationLabel).
 */
export function graphqlMetricsPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  const names = operationNameCap();
  return {
    requestDidStart: async () => {
      const started = performance.now();
      return {
        willSendResponse: async ({ response, operationName, request }) => {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            graphqlErrors.inc({ code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
          }
          graphqlRequestDuration.observe(
            { operation: operationLabel(operationName ?? request.operationName, names), outcome: outcomeOf(errors) },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}

import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { isServerErrorCode } from '@letstalk/errors';
import {
  graphqlErrors,
  graphqlRequestDuration,
  INVALID_OPERATION_LABEL,
  operationLabel,
  operationNameCap,
} from '@letstalk/metrics';

/** `ok` without errors; `server_error` when one error is the server's (a 5xx code); else `client_error`. */
function outcomeOf(errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors?.length) return 'ok';
  return errors.some((error) => isServerErrorCode(error.extensions?.code)) ? 'server_error' : 'client_error';
}

/**
 * Records every operation Apollo Server executes (over HTTP, and the gateway's `executeOperation` calls):
 * its latency by operation name and outcome, and each error's code as the client receives it (after
 * `formatError`). The name is the one Apollo resolved in the validated document; a request whose operation
 * did not resolve is `invalid`, whatever `operationName` it sent (junk names must not fill the cap). Names
 * are capped per plugin, the SDK's own operations always kept (see operationLabel).
 */
export function graphqlMetricsPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  const names = operationNameCap();
  return {
    requestDidStart: async () => {
      const started = performance.now();
      return {
        willSendResponse: async ({ response, operation, operationName }) => {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            graphqlErrors.inc({ code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
          }
          const label = operation ? operationLabel(operationName, names) : INVALID_OPERATION_LABEL;
          graphqlRequestDuration.observe(
            { operation: label, outcome: outcomeOf(errors) },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}

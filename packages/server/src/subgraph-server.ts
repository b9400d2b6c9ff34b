import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Express } from 'express';
import type { DocumentNode } from 'graphql';
import type { AccessTokenVerifier } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';
import type { MetricsEnv } from '@letstalk/metrics';
import { baseContext, type BaseContext } from './base-context.ts';
import { graphqlMetricsPlugin } from './graphql-metrics.ts';
import { GRAPHQL_PATH, graphqlHttpHandler } from './http.ts';
import { createHttpServer } from './http-server.ts';
import { observeOperations } from './observed-request.ts';
import { formatSubgraphError } from './subgraph-errors.ts';
import type { Readiness } from './health-routes.ts';

/** Largest JSON body a subgraph accepts from the gateway. */
const MAX_SUBGRAPH_BODY_BYTES = 1_000_000;

export interface SubgraphOptions<Context extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  // Resolver maps are typed per subgraph by codegen; buildSubgraphSchema takes a looser shape.
  resolvers: object;
  host: string;
  port: number;
  exposeInternalErrors: boolean;
  log: Logger;
  verifyAccessToken: AccessTokenVerifier;
  /** Adds the subgraph's own parts (db, loaders, events) to the base context; called once per request. */
  context: (base: BaseContext) => Context | Promise<Context>;
  readiness: Readiness;
  /** Where `/metrics` is served (see createHttpServer). */
  metrics: MetricsEnv;
  /** Extra routes (e.g. the JWKS) served beside `/graphql`. */
  routes?: (app: Express) => void;
  plugins?: ApolloServerPlugin<Context>[];
  /** SHUTDOWN_TIMEOUT_MS: how long stopping may take (see createHttpServer). */
  shutdownTimeoutMs?: number;
  /** Accept GraphQL multipart requests (see graphqlHttpHandler). */
  uploads?: { maxFileBytes: number; maxFiles: number };
}

export interface RunningSubgraph {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts one subgraph: Apollo Server with `buildSubgraphSchema`, `GET /healthz` (process up),
 * `GET /readyz` (dependencies reachable), `POST /graphql`. Identity comes only from a verified access token.
 */
export async function startSubgraph<Context extends BaseContext>(
  options: SubgraphOptions<Context>,
): Promise<RunningSubgraph> {
  const http = createHttpServer({
    name: options.name,
    readiness: options.readiness,
    metrics: { env: options.metrics, warn: (message) => options.log.warn(message) },
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
  const server = new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as never }),
    formatError: (formatted, error) =>
      formatSubgraphError(formatted, error, { exposeInternals: options.exposeInternalErrors, log: options.log }),
    includeStacktraceInErrorResponses: false,
    // runService owns SIGTERM/SIGINT (a deadline, a second signal); Apollo's own handler would stop it and re-raise.
    stopOnTerminationSignals: false,
    plugins: [
      http.drainPlugin(),
      // Traces would tell clients how long each resolver took; nothing here consumes them.
      ApolloServerPluginInlineTraceDisabled(),
      // No type sets cache hints, and walking every resolved field for them costs time on each request.
      ApolloServerPluginCacheControlDisabled(),
      graphqlMetricsPlugin(),
      // Operation names and error codes for the access lines.
      observeOperations<Context>(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  options.routes?.(http.app);
  http.serveGraphql(
    graphqlHttpHandler(server, {
      maxBodyBytes: MAX_SUBGRAPH_BODY_BYTES,
      log: options.log,
      // Only the gateway calls a subgraph: its sampling decision, carried in traceparent, is followed.
      callers: 'internal',
      context: async (req, _res, requestId) => options.context(await baseContext(req, requestId, options)),
      ...(options.uploads ? { uploads: options.uploads } : {}),
    }),
    server,
  );

  const { port, origin } = await http.listen(options.host, options.port);
  const url = `${origin}${GRAPHQL_PATH}`;
  options.log.info({ url }, `${options.name} subgraph listening`);
  return { url, port, stop: http.stop };
}

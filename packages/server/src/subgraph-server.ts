import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express, { type Express } from 'express';
import type { DocumentNode } from 'graphql';
import type { AccessTokenVerifier } from '@letstalk/auth';
import { formatError } from '@letstalk/errors';
import type { Logger } from '@letstalk/log';
import { baseContext, type BaseContext } from './base-context.ts';
import { graphqlHttpHandler, isGraphqlRequest, type HttpHandler } from './http.ts';

/** Largest JSON body a subgraph accepts from the gateway. */
export const MAX_SUBGRAPH_BODY_BYTES = 1_000_000;

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
  /** Named checks for `/readyz`; each resolves `true` when its dependency is reachable. */
  readiness: Record<string, () => Promise<boolean>>;
  /** Extra routes (e.g. the JWKS) served beside `/graphql`. */
  routes?: (app: Express) => void;
  plugins?: ApolloServerPlugin<Context>[];
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
  const app = express();
  app.disable('x-powered-by');
  let graphql: HttpHandler | undefined;
  const httpServer = http.createServer((req, res) =>
    graphql && isGraphqlRequest(req) ? graphql(req, res) : app(req, res),
  );
  const server = new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as never }),
    formatError: (formatted) =>
      formatError(formatted, {
        exposeInternals: options.exposeInternalErrors,
        onInternal: (error) => options.log.error({ err: error }, 'internal error'),
      }),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Traces would tell clients how long each resolver took; nothing here consumes them.
      ApolloServerPluginInlineTraceDisabled(),
      // No type sets cache hints, and walking every resolved field for them costs time on each request.
      ApolloServerPluginCacheControlDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = Object.fromEntries(
      await Promise.all(Object.entries(options.readiness).map(async ([name, check]) => [name, await check()] as const)),
    );
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: options.name, checks });
  });
  options.routes?.(app);
  graphql = graphqlHttpHandler(server, {
    maxBodyBytes: MAX_SUBGRAPH_BODY_BYTES,
    log: options.log,
    context: async (req) => options.context(await baseContext(req, options)),
    ...(options.uploads ? { uploads: options.uploads } : {}),
  });

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/graphql`;
  options.log.info({ url }, `${options.name} subgraph listening`);
  return {
    url,
    port,
    stop: () => server.stop(),
  };
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import cors from 'cors';
import type { GraphQLSchema } from 'graphql';
import { Agent } from 'undici';
import { accessTokenVerifierFor, viewerFromAuthorization } from '@letstalk/auth';
import { formatError, unauthenticated } from '@letstalk/errors';
import { connectNats, isNatsReady } from '@letstalk/events';
import { INTERNAL_OPERATION_PREFIX } from '@letstalk/metrics';
import { createLogger, REQUEST_ID_HEADER, type Logger } from '@letstalk/log';
import {
  createHttpServer,
  GRAPHQL_PATH,
  graphqlHttpHandler,
  graphqlMetricsPlugin,
  observeOperations,
  withHttpStatus,
} from '@letstalk/server';
import { clientAddress } from './client-address.ts';
import { capConnectionsPerAddress } from './connection-caps.ts';
import type { GatewayContext } from './context.ts';
import { createSubgraphFetcher, ForwardingDataSource } from './data-source.ts';
import { codeApolloRefusal, refuseSubscriptionOverHttp, refuseUnresolvedOperations } from './http-operations.ts';
import { MAX_UPLOAD_FILES } from './upload-forwarding.ts';
import { EXPORTS_ROUTE, FILES_ROUTE, MEDIA_ROUTE, mediaProxy } from './media-proxy.ts';
import type { GatewayEnv } from './env.ts';
import { EndedSessions } from './ended-sessions.ts';
import { createExplorer } from './explorer.ts';
import { LiveHub } from './live/hub.ts';
import { OperationLimits } from './operation-limits.ts';
import { PresenceTracker } from './presence/tracker.ts';
import { startWebSocketServer } from './websocket.ts';

/** Largest JSON request body (uploads are limited separately). */
export const MAX_REQUEST_BODY_BYTES = 1_000_000;
/** How long `/readyz` waits for each subgraph's own `/readyz`. */
const READINESS_TIMEOUT_MS = 2_000;

export async function startGateway(env: GatewayEnv, log: Logger = createLogger({ service: 'gateway', env })) {
  const development = env.NODE_ENV === 'development';
  const subgraphUrls = new Map<string, string>();
  const nc = await connectNats(env.NATS_URL, 'gateway', { streamReplicas: env.NATS_STREAM_REPLICAS });
  const hub = new LiveHub(nc, log);
  // A new id per process: a gateway that restarts does not take over the keys of the one that died.
  const presence = new PresenceTracker({
    nc,
    gatewayId: randomBytes(8).toString('hex'),
    ttlMs: env.PRESENCE_TTL_MS,
    bucket: env.PRESENCE_BUCKET,
    awayAfterMs: env.PRESENCE_AWAY_AFTER_MS,
    log,
  });
  await presence.start();
  const endedSessions = new EndedSessions(nc, log);
  const subgraphConnections = new Agent();
  const fetcher = createSubgraphFetcher(subgraphConnections, env.GATEWAY_SUBGRAPH_TIMEOUT_MS);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(env.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => {
      const target = env.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}`);
      subgraphUrls.set(name, target);
      // undici over keep-alive connections instead of the default make-fetch-happen, whose caching
      // layers cost more than the subgraph call itself here.
      return new ForwardingDataSource(
        { url: target, fetcher, name },
        subgraphConnections,
        env.GATEWAY_SUBGRAPH_TIMEOUT_MS,
        env.GATEWAY_MAX_UPLOAD_BYTES,
      );
    },
  });
  // Registered before start(), or the first load can be missed (docs/pitfalls.md).
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });

  const http = createHttpServer({
    name: 'gateway',
    readiness: () => ({
      ...Object.fromEntries([...subgraphUrls].map(([name, url]) => [name, () => isSubgraphReady(url)])),
      // Live events arrive over NATS; while it reconnects, subscriptions hear nothing.
      nats: () => isNatsReady(nc),
    }),
    screen: refuseTargetsOtherThanPaths,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    // The public process: in production, no /metrics on this port without METRICS_TOKEN (see metricsPlacement).
    metrics: { env, public: true, warn: (message) => log.warn(message) },
  });
  // Without a proxy in front, the peer is the client: one address cannot hold every socket of the process.
  if (env.TRUST_PROXY_HOPS === 0) capConnectionsPerAddress(http.server, env.GATEWAY_MAX_CONNECTIONS_PER_IP);
  // Queries the gateway builds itself (live payloads) carry a name only this process knows; the limits
  // were applied to the client's own operation and do not apply to them.
  const internalOperationName = `${INTERNAL_OPERATION_PREFIX}${randomBytes(12).toString('hex')}`;
  const limits = new OperationLimits({ suggestions: env.introspection, internalOperationName });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: env.introspection,
    plugins: [
      ...limits.plugins<GatewayContext>(),
      refuseUnresolvedOperations<GatewayContext>(),
      http.drainPlugin(),
      ApolloServerPluginLandingPageDisabled(),
      // No subgraph sets cache hints; computing a policy for every response is work for nothing.
      ApolloServerPluginCacheControlDisabled(),
      graphqlMetricsPlugin<GatewayContext>(),
      // Operation names and error codes for the access lines.
      observeOperations<GatewayContext>(),
    ],
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    allowBatchedHttpRequests: false,
    // runService owns SIGTERM/SIGINT (a deadline, a second signal); Apollo's own handler would stop it and re-raise.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) =>
      formatError(codeApolloRefusal(formatted, error), {
        exposeInternals: development,
        onInternal: (error) => log.error({ err: error }, 'internal error'),
      }),
  });
  await server.start();

  const verifyAccessToken = accessTokenVerifierFor(env);
  const explorer = createExplorer('/graphql');

  const media = mediaProxy({ mediaUrl: () => subgraphUrls.get('media'), dispatcher: subgraphConnections, log });
  http.app.get(MEDIA_ROUTE, media);
  http.app.get(FILES_ROUTE, media);
  http.app.get(EXPORTS_ROUTE, media);
  const clientIp = clientAddress(env.TRUST_PROXY_HOPS);
  const allowOrigins = cors({
    origin: env.corsOrigins.includes('*') ? true : env.corsOrigins,
    credentials: false,
    maxAge: 600,
  });
  const execute = graphqlHttpHandler(server, {
    maxBodyBytes: MAX_REQUEST_BODY_BYTES,
    uploads: { maxFileBytes: env.GATEWAY_MAX_UPLOAD_BYTES, maxFiles: MAX_UPLOAD_FILES },
    log,
    context: async (req, res, requestId): Promise<GatewayContext> => {
      res.setHeader(REQUEST_ID_HEADER, requestId);
      refuseSubscriptionOverHttp(req, limits.parseOptions.maxTokens);
      const authorization = req.headers.authorization;
      try {
        const viewer = await viewerFromAuthorization(authorization, verifyAccessToken);
        if (viewer && endedSessions.has(viewer.sessionId))
          throw unauthenticated('This session has ended. Sign in again.');
        return { viewer, authorization, requestId, clientIp: clientIp(req), log: log.child({ reqId: requestId }) };
      } catch (error) {
        throw withHttpStatus(error, 401);
      }
    },
  });
  http.serveGraphql(
    (req, res) =>
      allowOrigins(req, res, () => {
        if (env.explorer && explorer.wants(req)) explorer.serve(req, res);
        else execute(req, res);
      }),
    server,
  );

  const ws = startWebSocketServer({
    httpServer: http.server,
    server,
    schema: () => apiSchema,
    verifyAccessToken,
    clientIp,
    hub,
    presence,
    endedSessions,
    limits,
    internalOperationName,
    maxConnectionsPerIp: env.GATEWAY_MAX_WS_CONNECTIONS_PER_IP,
    maxReplayMessages: env.GATEWAY_MAX_REPLAY_MESSAGES,
    log,
  });
  const { port, origin } = await http.listen(env.GATEWAY_HOST, env.GATEWAY_PORT);
  const url = `${origin}${GRAPHQL_PATH}`;
  log.info({ url, explorer: env.explorer }, 'gateway listening');
  return {
    url,
    port,
    stop: async () => {
      // At once: /readyz turns 503 and the listener closes while live sockets are told to go away.
      await Promise.all([ws.stop(), http.stop()]);
      // Every socket is closed: the people connected here leave, before the NATS connection goes.
      await presence.stop();
      endedSessions.stop();
      await subgraphConnections.close();
      await nc.drain();
    },
  };
}

/** A subgraph is ready when its own `/readyz` says so in time. */
const isSubgraphReady = (url: string) =>
  fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) }).then(
    (response) => response.ok,
    () => false,
  );

/**
 * The gateway is no proxy: an absolute-form target (`GET http://host/...`) or `*` is refused before any
 * route sees it (express would route its path while `new URL(target, base)` takes its host).
 */
function refuseTargetsOtherThanPaths(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url?.startsWith('/')) return false;
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Bad request target.');
  return true;
}

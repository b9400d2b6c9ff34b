import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, OperationTypeNode, print, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { viewerFromAuthorization, type AccessTokenVerifier, type Viewer } from '@letstalk/auth';
import { appError } from '@letstalk/errors';
import { requestIdFrom, type Logger } from '@letstalk/log';
import { liveConnections, rateLimitRefusals, slowConsumerCloses } from '@letstalk/metrics';
import { clientNetwork } from '@letstalk/server';
import { PerKeyCap } from './connection-caps.ts';
import type { EndedSessions } from './ended-sessions.ts';
import type { GatewayContext } from './context.ts';
import type { LiveHub } from './live/hub.ts';
import type { OperationLimits } from './operation-limits.ts';
import type { PresenceTracker } from './presence/tracker.ts';
import { SharedPayloads } from './live/shared-payloads.ts';
import { SocketOutput } from './live/socket-output.ts';
import { subscribeLive, type LiveOptions } from './live/subscriptions.ts';
import { refuseBadClientFrames } from './ws-client-messages.ts';

/** Largest message a client may send over the WebSocket. */
const MAX_WS_MESSAGE_BYTES = 64 * 1024;
/** Operations (subscriptions and queries) running at once on one connection. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 50;
/** graphql-ws connections of one user on one gateway process. */
export const MAX_CONNECTIONS_PER_USER = 20;
/** WebSocket close code for a server that stops. */
const WS_CLOSE_GOING_AWAY = 1001;
/** How long a stopping gateway waits for its sockets to complete the closing handshake before cutting them. */
const WS_CLOSE_GRACE_MS = 2_000;

/** The gateway pings every socket this often and drops one that did not answer the previous ping. */
const WS_PING_INTERVAL_MS = 30_000;
/** Close codes: the token is missing/invalid (graphql-ws answers 4403 Forbidden), or it expired. */
const WS_CLOSE_TOKEN_EXPIRED = 4401;
/**
 * Close code for a connection whose session ended (signed out, or revoked): 4401 Unauthorized, like an
 * expired token (graphql-ws clients do not retry it); refreshing fails, so the client signs in again.
 */
export const WS_CLOSE_SESSION_ENDED = 4401;
/** Close code for one connection too many of the same user (WebSocket "policy violation"). */
const WS_CLOSE_TOO_MANY_CONNECTIONS = 1008;

type ConnectionExtra = {
  viewer?: Viewer;
  authorization?: string;
  expiryTimer?: NodeJS.Timeout;
  /** Stops listening for the end of the connection's session. */
  stopSessionWatch?: () => void;
  /** Counted out of {@link MAX_CONNECTIONS_PER_USER} already. */
  released?: boolean;
};

/**
 * The graphql-ws server on the gateway's `/graphql` path. A connection must authenticate in
 * `connection_init` (`{ authorization: "Bearer ..." }`) and is closed when its token expires.
 * Operations run through the gateway's own query planner, exactly like HTTP requests.
 */
export function startWebSocketServer(options: {
  httpServer: Server;
  server: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema | undefined;
  verifyAccessToken: AccessTokenVerifier;
  /** The client's address, behind as many trusted proxies as the HTTP side trusts. */
  clientIp: (req: IncomingMessage) => string;
  hub: LiveHub;
  /** Who has sockets here, for presence: told of every accepted socket, of what its client sends, and of its close. */
  presence: PresenceTracker;
  endedSessions: EndedSessions;
  limits: OperationLimits;
  /** See LiveOptions.operationName. */
  internalOperationName: string;
  /** graphql-ws connections one client network (an IPv4 address or an IPv6 /64) may hold at once. */
  maxConnectionsPerIp: number;
  /** Messages one messageAdded subscription replays (LiveOptions.maxReplayMessages). */
  maxReplayMessages: number;
  log: Logger;
}) {
  const perAddress = new PerKeyCap(options.maxConnectionsPerIp);
  for (const reason of ['send_buffer', 'queue']) slowConsumerCloses.inc({ reason }, 0);
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: MAX_WS_MESSAGE_BYTES,
    // One client network cannot hold every socket of the process: over its cap, the upgrade is refused
    // (429) before any WebSocket exists; its count drops when the socket closes.
    verifyClient: (info, accept) => {
      const release = perAddress.acquire(clientNetwork(options.clientIp(info.req)));
      if (!release) {
        rateLimitRefusals.inc({ limit: 'gateway-ws-connections-per-ip' });
        return accept(false, 429, 'Too many connections from this address');
      }
      info.req.socket.once('close', release);
      accept(true);
    },
  });
  const connectionsPerUser = new Map<string, number>();
  const live: LiveOptions = {
    hub: options.hub,
    operationName: options.internalOperationName,
    shared: new SharedPayloads(),
    maxReplayMessages: options.maxReplayMessages,
    sink: (context) => new SocketOutput(context.socket, context.operationId),
    run: (query, variables, context) => runOperation(options.server, { query, variables }, context),
    log: options.log,
  };
  // Keep-alive: a socket that did not answer the previous ping is gone (a dead network path holds no FIN).
  const alive = new WeakSet<WebSocket>();
  refuseBadClientFrames(wss);
  wss.on('connection', (socket) => {
    liveConnections.inc();
    socket.once('close', () => liveConnections.dec());
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    // Anything the client sends (an operation, a graphql-ws ping) is activity: its person is not AWAY.
    socket.on('message', () => options.presence.active(socket));
  });
  const pings = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, WS_PING_INTERVAL_MS);
  pings.unref();
  const release = (extra: ConnectionExtra & { socket: WebSocket }) => {
    clearTimeout(extra.expiryTimer);
    options.presence.disconnected(extra.socket);
    extra.stopSessionWatch?.();
    const userId = extra.viewer?.userId;
    if (!userId || extra.released) return;
    extra.released = true;
    const count = (connectionsPerUser.get(userId) ?? 1) - 1;
    if (count > 0) connectionsPerUser.set(userId, count);
    else connectionsPerUser.delete(userId);
  };
  const cleanup = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema: () => {
        const schema = options.schema();
        if (!schema) throw new Error('The gateway has not loaded its schema yet.');
        return schema;
      },
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          const viewer = await viewerFromAuthorization(
            typeof authorization === 'string' ? authorization : undefined,
            options.verifyAccessToken,
          );
          if (!viewer) return false;
          if (options.endedSessions.has(viewer.sessionId)) {
            ctx.extra.socket.close(WS_CLOSE_SESSION_ENDED, 'Session ended');
            return false;
          }
          // Closed while the token was being checked: onClose ran already, nothing may be held for it.
          if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
          const connections = connectionsPerUser.get(viewer.userId) ?? 0;
          if (connections >= MAX_CONNECTIONS_PER_USER) {
            rateLimitRefusals.inc({ limit: 'gateway-ws-connections-per-user' });
            ctx.extra.socket.close(WS_CLOSE_TOO_MANY_CONNECTIONS, 'Too many connections for this user');
            return false;
          }
          connectionsPerUser.set(viewer.userId, connections + 1);
          ctx.extra.viewer = viewer;
          ctx.extra.authorization = authorization as string;
          ctx.extra.expiryTimer = setTimeout(
            () => ctx.extra.socket.close(WS_CLOSE_TOKEN_EXPIRED, 'Access token expired'),
            Math.max(0, viewer.expiresAt.getTime() - Date.now()),
          );
          // Signing out ends the session's sockets at once, on every gateway, not when the token expires.
          ctx.extra.stopSessionWatch = options.endedSessions.watch(viewer.sessionId, () =>
            ctx.extra.socket.close(WS_CLOSE_SESSION_ENDED, 'Session ended'),
          );
          options.presence.connected(viewer.userId, ctx.extra.socket);
          return true;
        } catch {
          return false;
        }
      },
      onDisconnect: (ctx) => release(ctx.extra),
      onClose: (ctx) => release(ctx.extra),
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          rateLimitRefusals.inc({ limit: 'gateway-operations-per-connection' });
          return [
            appError('RATE_LIMITED', `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} operations at once per connection.`),
          ];
        }
        const schema = options.schema();
        if (!schema) return [appError('UNAVAILABLE', 'The gateway is starting; try again in a moment.')];
        // The same limits as over HTTP (depth, aliases, tokens, cost with the variables' values).
        const prepared = options.limits.prepare(schema, payload);
        if (Array.isArray(prepared)) return prepared;
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName,
          // Subscriptions run here, on coerced values; queries and mutations go through Apollo Server,
          // which coerces the variables as sent.
          variableValues:
            prepared.operation.operation === OperationTypeNode.SUBSCRIPTION
              ? prepared.variables
              : (payload.variables ?? {}),
        };
      },
      context: (ctx, id): GatewayContext => {
        const requestId = requestIdFrom(undefined);
        return {
          viewer: ctx.extra.viewer ?? null,
          authorization: ctx.extra.authorization,
          requestId,
          clientIp: options.clientIp(ctx.extra.request),
          log: options.log.child({ reqId: requestId }),
          socket: ctx.extra.socket,
          operationId: id,
        };
      },
      subscribe: (args) => subscribeLive(args, live),
      execute: (args) =>
        runOperation(
          options.server,
          {
            query: print(args.document),
            variables: args.variableValues ?? {},
            ...(args.operationName ? { operationName: args.operationName } : {}),
          },
          args.contextValue as GatewayContext,
        ),
    },
    wss,
  );
  return {
    // Closes every socket and the WebSocket server itself.
    stop: async () => {
      clearInterval(pings);
      // Going away (1001): clients reconnect to another instance and resume. One that does not complete the
      // closing handshake in time (it stopped reading) is cut, or `ws` would wait 30 s for it.
      for (const socket of wss.clients) socket.close(WS_CLOSE_GOING_AWAY, 'Going away');
      const deadline = Date.now() + WS_CLOSE_GRACE_MS;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
      for (const socket of wss.clients) socket.terminate();
      await cleanup.dispose();
    },
  };
}

/** Runs one operation through the gateway's planner; errors become GraphQLError instances for graphql-ws. */
async function runOperation(
  server: ApolloServer<GatewayContext>,
  request: { query: string; variables: Record<string, unknown>; operationName?: string },
  context: GatewayContext,
): Promise<ExecutionResult> {
  const response = await server.executeOperation(request, { contextValue: context });
  if (response.body.kind !== 'single') throw new Error('Incremental delivery is not supported.');
  const { data, errors } = response.body.singleResult;
  // graphql-ws needs real GraphQLError instances (a plain object crashes it).
  return {
    data: data ?? null,
    ...(errors
      ? {
          errors: errors.map(
            (error) =>
              new GraphQLError(error.message, {
                ...(error.path ? { path: error.path } : {}),
                ...(error.extensions ? { extensions: error.extensions } : {}),
              }),
          ),
        }
      : {}),
  };
}

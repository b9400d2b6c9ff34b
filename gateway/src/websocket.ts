import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, print, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { viewerFromAuthorization, type AccessTokenVerifier, type Viewer } from '@letstalk/auth';
import { requestIdFrom, type Logger } from '@letstalk/log';
import type { GatewayContext } from './context.ts';

/** Largest message a client may send over the WebSocket. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;
/** Close codes: the token is missing/invalid (graphql-ws answers 4403 Forbidden), or it expired. */
export const WS_CLOSE_TOKEN_EXPIRED = 4401;

type ConnectionExtra = {
  viewer?: Viewer;
  authorization?: string;
  expiryTimer?: NodeJS.Timeout;
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
  log: Logger;
}) {
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: MAX_WS_MESSAGE_BYTES });
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
          ctx.extra.viewer = viewer;
          ctx.extra.authorization = authorization as string;
          ctx.extra.expiryTimer = setTimeout(
            () => ctx.extra.socket.close(WS_CLOSE_TOKEN_EXPIRED, 'Access token expired'),
            Math.max(0, viewer.expiresAt.getTime() - Date.now()),
          );
          return true;
        } catch {
          return false;
        }
      },
      onDisconnect: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      context: (ctx): GatewayContext => {
        const requestId = requestIdFrom(undefined);
        return {
          viewer: ctx.extra.viewer ?? null,
          authorization: ctx.extra.authorization,
          requestId,
          clientIp: options.clientIp(ctx.extra.request),
          log: options.log.child({ reqId: requestId }),
        };
      },
      execute: async (args) => {
        const response = await options.server.executeOperation(
          {
            query: print(args.document),
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            ...(args.operationName ? { operationName: args.operationName } : {}),
          },
          { contextValue: args.contextValue as GatewayContext },
        );
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
      },
    },
    wss,
  );
  return {
    // Closes every socket and the WebSocket server itself.
    stop: () => cleanup.dispose(),
  };
}

import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER } from '@letstalk/log';
import { CLIENT_IP_HEADER } from '@letstalk/server';
import type { GatewayContext } from './context.ts';

/**
 * Forwards the caller's access token (each subgraph verifies it again; none trusts a bare user id), the
 * request id (one id across every service's log) and the client address (per-IP limits).
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('requestId' in context)) return;
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    headers.set(CLIENT_IP_HEADER, context.clientIp);
  }
}

import type { IncomingMessage } from 'node:http';
import { viewerFromAuthorization, type AccessTokenVerifier, type Viewer } from '@letstalk/auth';
import { unauthenticated } from '@letstalk/errors';
import type { Logger } from '@letstalk/log';
import { withHttpStatus } from './http.ts';

/** Header in which the gateway passes the client's address on to the subgraphs (for per-IP limits). */
export const CLIENT_IP_HEADER = 'x-letstalk-client-ip';

/** What every subgraph resolver sees, before the subgraph adds its own parts. */
export interface BaseContext {
  viewer: Viewer | null;
  requestId: string;
  clientIp: string;
  log: Logger;
}

/**
 * The base context of one request to a subgraph: the request id (the gateway's, see observeRequest) and
 * client address the gateway passed on, and the viewer of a verified access token (a bad token is a 401,
 * never an anonymous request).
 */
export async function baseContext(
  req: IncomingMessage,
  requestId: string,
  options: { log: Logger; verifyAccessToken: AccessTokenVerifier },
): Promise<BaseContext> {
  const clientIp = String(req.headers[CLIENT_IP_HEADER] ?? req.socket.remoteAddress ?? '');
  const log = options.log.child({ reqId: requestId });
  try {
    const viewer = await viewerFromAuthorization(req.headers.authorization, options.verifyAccessToken);
    return { viewer, requestId, clientIp, log };
  } catch (error) {
    throw withHttpStatus(error, 401);
  }
}

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(context: BaseContext): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

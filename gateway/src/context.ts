import type { WebSocket } from 'ws';
import type { Viewer } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';

/** The gateway's per-request context; only what the data sources forward and the logs need. */
export interface GatewayContext {
  viewer: Viewer | null;
  /** The raw `Authorization` header, forwarded so each subgraph verifies the token itself. */
  authorization: string | undefined;
  requestId: string;
  clientIp: string;
  log: Logger;
  /** The graphql-ws socket an operation came over, and the operation's id on it; absent for HTTP requests. */
  socket?: WebSocket;
  operationId?: string;
}

import { fileURLToPath } from 'node:url';
import { createAccessTokenVerifier } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';
import { startSubgraphService } from '@letstalk/server';
import type { MessageContext } from './context.ts';
import { tables } from './data/tables.ts';
import type { MessageEnv } from './env.ts';
import { resolvers } from './resolvers/index.ts';

/** Builds and starts the message subgraph; `stop()` releases everything it opened. */
export function startMessageService(env: MessageEnv, log?: Logger) {
  return startSubgraphService({
    name: 'message',
    env,
    root: fileURLToPath(new URL('..', import.meta.url)),
    database: env.MESSAGE_DATABASE,
    host: env.MESSAGE_HOST,
    port: env.MESSAGE_PORT,
    tables,
    resolvers,
    ...(log ? { log } : {}),
    setup: async ({ db }) => ({
      verifyAccessToken: createAccessTokenVerifier(
        { jwksUrl: env.AUTH_JWKS_URL },
        { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
      ),
      context: (base): MessageContext => ({ ...base, db }),
    }),
  });
}

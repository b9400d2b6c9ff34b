import { fileURLToPath } from 'node:url';
import { createAccessTokenVerifier } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';
import { startSubgraphService } from '@letstalk/server';
import type { MediaContext } from './context.ts';
import { tables } from './data/tables.ts';
import type { MediaEnv } from './env.ts';
import { resolvers } from './resolvers/index.ts';

/** Builds and starts the media subgraph; `stop()` releases everything it opened. */
export function startMediaService(env: MediaEnv, log?: Logger) {
  return startSubgraphService({
    name: 'media',
    env,
    root: fileURLToPath(new URL('..', import.meta.url)),
    database: env.MEDIA_DATABASE,
    host: env.MEDIA_HOST,
    port: env.MEDIA_PORT,
    tables,
    resolvers,
    ...(log ? { log } : {}),
    setup: async ({ db }) => ({
      verifyAccessToken: createAccessTokenVerifier(
        { jwksUrl: env.AUTH_JWKS_URL },
        { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
      ),
      context: (base): MediaContext => ({ ...base, db }),
    }),
  });
}

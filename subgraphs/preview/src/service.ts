import { fileURLToPath } from 'node:url';
import { accessTokenVerifierFor } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';
import { startSubgraphService } from '@letstalk/server';
import type { PreviewContext } from './context.ts';
import { createPreviewLoader, createSettledPreviewCache } from './data/preview-loader.ts';
import { tables } from './data/tables.ts';
import type { PreviewEnv } from './env.ts';
import { resolvers } from './resolvers/index.ts';

/** Builds and starts the preview subgraph; `stop()` releases everything it opened. */
export function startPreviewService(env: PreviewEnv, log?: Logger) {
  return startSubgraphService({
    name: 'preview',
    env,
    root: fileURLToPath(new URL('..', import.meta.url)),
    database: env.PREVIEW_DATABASE,
    host: env.PREVIEW_HOST,
    port: env.PREVIEW_PORT,
    tables,
    resolvers,
    ...(log ? { log } : {}),
    setup: async ({ db }) => {
      const settled = createSettledPreviewCache();
      return {
        verifyAccessToken: accessTokenVerifierFor(env),
        context: (base): PreviewContext => ({ ...base, db, loaders: { preview: createPreviewLoader(db, settled) } }),
      };
    },
  });
}

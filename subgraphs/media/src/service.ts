import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import DataLoader from 'dataloader';
import { accessTokenVerifierFor } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';
import { createRateLimiter, startSubgraphService } from '@letstalk/server';
import type { MediaContext, MediaServices } from './context.ts';
import { findImages } from './data/image-repository.ts';
import { tables } from './data/tables.ts';
import type { MediaEnv } from './env.ts';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, UPLOADS_PER_USER_PER_MINUTE } from './limits.ts';
import { resolvers } from './resolvers/index.ts';
import { imageRoute } from './serving/serve-image.ts';
import { MEDIA_PATH } from './serving/signed-url.ts';
import { loadUrlSecret } from './serving/url-secret.ts';
import { createStorage } from './storage/create-storage.ts';
import { dailyLimiterOptions, UploadQuota } from './upload/upload-quota.ts';

/** Builds and starts the media subgraph; `stop()` releases everything it opened. */
export function startMediaService(env: MediaEnv, log?: Logger) {
  const storage = createStorage(env);
  return startSubgraphService({
    name: 'media',
    env,
    root: fileURLToPath(new URL('..', import.meta.url)),
    database: env.MEDIA_DATABASE,
    host: env.MEDIA_HOST,
    port: env.MEDIA_PORT,
    tables,
    resolvers,
    uploads: { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: MAX_UPLOAD_FILES },
    ...(log ? { log } : {}),
    setup: async ({ db, pool, relay, log: serviceLog }) => {
      const services: MediaServices = {
        storage,
        relay,
        uploadLimiter: await createRateLimiter(pool, env.MEDIA_DATABASE, {
          keyPrefix: 'upload',
          points: UPLOADS_PER_USER_PER_MINUTE,
          durationSeconds: 60,
        }),
        uploadQuota: new UploadQuota(
          await createRateLimiter(
            pool,
            env.MEDIA_DATABASE,
            dailyLimiterOptions(env.MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY),
          ),
          {
            bytesPerDay: env.MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY,
            bytesStored: env.MEDIA_UPLOAD_BYTES_PER_USER_TOTAL,
          },
        ),
        uploadDir: join(env.MEDIA_DIR ?? join(env.DATA_DIR, 'media'), 'uploading'),
        urlSecret: await loadUrlSecret(env),
        publicUrl: env.MEDIA_PUBLIC_URL,
      };
      const serveImage = imageRoute({ db, storage, secret: services.urlSecret });
      return {
        verifyAccessToken: accessTokenVerifierFor(env),
        context: (base): MediaContext => ({
          ...base,
          db,
          services,
          loaders: {
            image: new DataLoader(async (ids: readonly string[]) => {
              const rows = new Map((await findImages(db, ids)).map((row) => [row.id, row]));
              return ids.map((id) => rows.get(id) ?? null);
            }),
          },
        }),
        routes: (app) => {
          app.get(`${MEDIA_PATH}/:imageId/:variant`, (req, res) => {
            serveImage(req, res).catch((error: unknown) => {
              serviceLog.error({ err: error }, 'serving an image failed');
              if (res.headersSent) res.destroy();
              else res.status(500).type('text/plain').end('Internal error.');
            });
          });
        },
        stop: async () => storage.close?.(),
      };
    },
  });
}

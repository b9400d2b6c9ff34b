import type { Request, Response } from 'express';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import DataLoader from 'dataloader';
import { accessTokenVerifierFor } from '@letstalk/auth';
import type { Logger } from '@letstalk/log';
import { createRateLimiter, startSubgraphService } from '@letstalk/server';
import type { MediaContext, MediaServices } from './context.ts';
import { findFiles } from './data/file-repository.ts';
import { findImages } from './data/image-repository.ts';
import { tables } from './data/tables.ts';
import type { MediaEnv } from './env.ts';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, UPLOADS_PER_USER_PER_MINUTE } from './limits.ts';
import { resolvers } from './resolvers/index.ts';
import { exportRoute, fileRoute } from './serving/serve-file.ts';
import { imageRoute } from './serving/serve-image.ts';
import { EXPORTS_PATH, FILES_PATH, MEDIA_PATH } from './serving/signed-url.ts';
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
    // The parser's limit is the larger of the two; each mutation checks its own (uploadImage, uploadFile).
    uploads: { maxFileBytes: Math.max(MAX_UPLOAD_BYTES, env.MEDIA_MAX_FILE_BYTES), maxFiles: MAX_UPLOAD_FILES },
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
        maxFileBytes: env.MEDIA_MAX_FILE_BYTES,
        urlSecret: await loadUrlSecret(env),
        publicUrl: env.MEDIA_PUBLIC_URL,
      };
      const serveImage = imageRoute({ db, storage, secret: services.urlSecret });
      const serveFile = fileRoute({ db, storage, secret: services.urlSecret });
      const serveExport = exportRoute({ db, storage, secret: services.urlSecret });
      const served =
        (what: string, serve: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response) => {
          serve(req, res).catch((error: unknown) => {
            serviceLog.error({ err: error }, `serving ${what} failed`);
            if (res.headersSent) res.destroy();
            else res.status(500).type('text/plain').end('Internal error.');
          });
        };
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
            file: new DataLoader(async (ids: readonly string[]) => {
              const rows = new Map((await findFiles(db, ids)).map((row) => [row.id, row]));
              return ids.map((id) => rows.get(id) ?? null);
            }),
          },
        }),
        routes: (app) => {
          app.get(`${MEDIA_PATH}/:imageId/:variant`, served('an image', serveImage));
          app.get(`${FILES_PATH}/:fileId`, served('a file', serveFile));
          app.get(`${EXPORTS_PATH}/:exportId`, served('an archive', serveExport));
        },
        stop: async () => storage.close?.(),
      };
    },
  });
}

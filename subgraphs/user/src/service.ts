import { fileURLToPath } from 'node:url';
import { accessTokenVerifierFor, loadSigningKey, publicJwks } from '@letstalk/auth';
import { durableName, mediaImageUploaded, startEventConsumer } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { startSubgraphService } from '@letstalk/server';
import { createProfileCache, createUserContext, forgetChangedProfiles, type UserServices } from './context.ts';
import { tables } from './data/tables.ts';
import { recordAvatarImage } from './data/user-repository.ts';
import { signInMethods, type UserEnv } from './env.ts';
import { startDataExportSource } from './export/data-export.ts';
import { startNotifier } from './notifications/notifier.ts';
import { loadVapidKeys } from './notifications/push-env.ts';
import { createRateLimits } from './rate-limits.ts';
import { resolvers } from './resolvers/index.ts';
import { createFacebookVerifier } from './sign-in/facebook.ts';
import { createCodeMailer } from './sign-in/mailer.ts';
import { createOidcVerifier } from './sign-in/oidc.ts';

const JWKS_PATH = '/.well-known/jwks.json';

/** Builds and starts the user subgraph; `stop()` releases everything it opened. */
export async function startUserService(env: UserEnv, log?: Logger) {
  const subgraph = await startSubgraphService({
    name: 'user',
    env,
    root: fileURLToPath(new URL('..', import.meta.url)),
    database: env.USER_DATABASE,
    host: env.USER_HOST,
    port: env.USER_PORT,
    tables,
    resolvers,
    ...(log ? { log } : {}),
    setup: async ({ pool, db, reads, nc, relay, log }) => {
      if (signInMethods(env).length === 0) {
        log.warn(
          'no sign-in method is configured, so nobody can sign in: set SMTP_URL (email codes), AUTH_OIDC_PROVIDERS or FACEBOOK_APP_ID and FACEBOOK_APP_SECRET',
        );
      }
      const signingKey = await loadSigningKey({
        pem: env.AUTH_PRIVATE_KEY,
        ...(env.NODE_ENV === 'production' ? {} : { dataDir: env.DATA_DIR }),
      });
      const jwks = publicJwks([signingKey]);
      const services: UserServices = {
        env,
        db,
        reads,
        signingKey,
        relay,
        nc,
        limits: await createRateLimits(pool, env.USER_DATABASE),
        verifyIdToken: createOidcVerifier(env.AUTH_OIDC_PROVIDERS, {
          allowInsecure: env.AUTH_ALLOW_INSECURE_ISSUERS,
          log,
        }),
        verifyFacebookToken:
          env.FACEBOOK_APP_ID && env.FACEBOOK_APP_SECRET
            ? createFacebookVerifier(
                { appId: env.FACEBOOK_APP_ID, appSecret: env.FACEBOOK_APP_SECRET, graphUrl: env.FACEBOOK_GRAPH_URL },
                log,
              )
            : undefined,
        profiles: createProfileCache(),
        vapid: await loadVapidKeys(env),
        sendSignInCode: createCodeMailer({
          smtpUrl: env.SMTP_URL,
          from: env.SMTP_FROM,
          production: env.NODE_ENV === 'production',
          log,
        }),
      };
      // Learns which images each person uploaded for AVATAR, so only their owner makes one their picture.
      const avatarUploads = await startEventConsumer({
        nc,
        contract: mediaImageUploaded,
        durable: durableName(env.USER_DATABASE, 'avatar-images'),
        formerly: 'user-avatar-images',
        log,
        handle: async (event) => {
          if (event.purpose === 'AVATAR') await recordAvatarImage(db, event.ownerId, event.imageId);
        },
      });
      const dataExports = await startDataExportSource({ nc, db, database: env.USER_DATABASE, log });
      const stopForgetting = forgetChangedProfiles(nc, services.profiles);
      const notifier = env.NOTIFIER_ENABLED
        ? await startNotifier({
            nc,
            db,
            database: env.USER_DATABASE,
            vapid: services.vapid,
            allowHosts: env.PUSH_ALLOW_HOSTS,
            smtpUrl: env.SMTP_URL,
            from: env.SMTP_FROM,
            emailDelayMs: env.NOTIFICATION_EMAIL_DELAY_MS,
            log,
          })
        : undefined;
      return {
        stop: async () => {
          stopForgetting();
          await notifier?.stop();
          await avatarUploads.stop();
          await dataExports.stop();
        },
        // The user subgraph holds the key, so it verifies against its own key set without a fetch.
        verifyAccessToken: accessTokenVerifierFor(env, jwks),
        context: (base) => createUserContext(base, services),
        routes: (app) => {
          app.get(JWKS_PATH, (_req, res) => {
            res.set('Cache-Control', 'public, max-age=300').json(jwks);
          });
        },
      };
    },
  });
  return { ...subgraph, jwksUrl: subgraph.url.replace(/\/graphql$/, JWKS_PATH) };
}

import { fileURLToPath } from 'node:url';
import { accessTokenVerifierFor } from '@letstalk/auth';
import {
  durableName,
  mediaFileUploaded,
  mediaImageUploaded,
  startEventConsumer,
  stopConsumers,
  userCreated,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { createRateLimiter, startSubgraphService } from '@letstalk/server';
import type { MessageContext, MessageServices } from './context.ts';
import { recordKnownUpload } from './data/known-images.ts';
import { recordKnownUser } from './data/known-users.ts';
import { tables } from './data/tables.ts';
import type { MessageEnv } from './env.ts';
import {
  CALL_SIGNALS_PER_USER_PER_10_SECONDS,
  CHAT_CHANGES_PER_USER_PER_MINUTE,
  GROUPS_CREATED_PER_USER_PER_HOUR,
  MESSAGE_CHANGES_PER_USER_PER_10_SECONDS,
  PEOPLE_ADDED_PER_USER_PER_HOUR,
  PRESENCE_SETTING_CHANGES_PER_USER_PER_MINUTE,
  REACTIONS_PER_USER_PER_10_SECONDS,
  READ_MARKS_PER_USER_PER_10_SECONDS,
  SEARCHES_PER_USER_PER_MINUTE,
  SENDS_PER_USER_PER_10_SECONDS,
  TYPING_EVENTS_PER_USER_PER_10_SECONDS,
} from './limits.ts';
import { startLiveFanOut } from './live/fan-out.ts';
import { startDataExportSource } from './export/data-export.ts';
import { startNotificationRequests } from './notify/notification-requests.ts';
import { startPresence } from './presence/presence-service.ts';
import { startSearchIndexer } from './search/indexer.ts';
import { mariadbSearchIndex } from './search/mariadb-search-index.ts';
import { createLoaders } from './loaders.ts';
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
    setup: async ({ db, reads, pool, nc, relay, log }) => {
      // Counted in this subgraph's database, so every instance shares them.
      const limiter = (keyPrefix: string, points: number, durationSeconds: number) =>
        createRateLimiter(pool, env.MESSAGE_DATABASE, { keyPrefix, points, durationSeconds });
      const services: MessageServices = {
        relay,
        reads,
        nc,
        sendLimiter: await limiter('send', SENDS_PER_USER_PER_10_SECONDS, 10),
        typingLimiter: await limiter('typing', TYPING_EVENTS_PER_USER_PER_10_SECONDS, 10),
        callLimiter: await limiter('call', CALL_SIGNALS_PER_USER_PER_10_SECONDS, 10),
        chatChangeLimiter: await limiter('chat-change', CHAT_CHANGES_PER_USER_PER_MINUTE, 60),
        groupLimiter: await limiter('group', GROUPS_CREATED_PER_USER_PER_HOUR, 3600),
        peopleAddedLimiter: await limiter('people-added', PEOPLE_ADDED_PER_USER_PER_HOUR, 3600),
        messageChangeLimiter: await limiter('message-change', MESSAGE_CHANGES_PER_USER_PER_10_SECONDS, 10),
        readMarkLimiter: await limiter('read-mark', READ_MARKS_PER_USER_PER_10_SECONDS, 10),
        reactionLimiter: await limiter('reaction', REACTIONS_PER_USER_PER_10_SECONDS, 10),
        searchLimiter: await limiter('search', SEARCHES_PER_USER_PER_MINUTE, 60),
        presenceSettingLimiter: await limiter('presence-setting', PRESENCE_SETTING_CHANGES_PER_USER_PER_MINUTE, 60),
        searchIndex: mariadbSearchIndex(db, pool),
        ringTimers: new Set(),
        iceServers: env.CALL_ICE_SERVERS,
      };
      // Learns every account, so chats are only made with people who exist.
      const knownUsers = await startEventConsumer({
        nc,
        contract: userCreated,
        durable: durableName(env.MESSAGE_DATABASE, 'known-users'),
        formerly: 'message-known-users',
        log,
        handle: (event) => recordKnownUser(db, event.userId, new Date(event.createdAt)),
      });
      // Learns which images each person uploaded for messages and chat photos, so only their owner uses them.
      const knownImages = await startEventConsumer({
        nc,
        contract: mediaImageUploaded,
        durable: durableName(env.MESSAGE_DATABASE, 'known-images'),
        formerly: 'message-known-images',
        log,
        handle: async (event) => {
          if (event.purpose === 'MESSAGE' || event.purpose === 'CHAT_PHOTO')
            await recordKnownUpload(db, event.ownerId, event.imageId, event.purpose);
        },
      });
      // Learns which files each person uploaded for messages, likewise.
      const knownFiles = await startEventConsumer({
        nc,
        contract: mediaFileUploaded,
        durable: durableName(env.MESSAGE_DATABASE, 'known-files'),
        log,
        handle: (event) => recordKnownUpload(db, event.ownerId, event.fileId, 'FILE'),
      });
      const fanOut = await startLiveFanOut({ nc, db, database: env.MESSAGE_DATABASE, log });
      const searchIndexer = await startSearchIndexer({
        nc,
        db,
        index: services.searchIndex,
        database: env.MESSAGE_DATABASE,
        log,
      });
      const notificationRequests = await startNotificationRequests({
        nc,
        db,
        relay,
        database: env.MESSAGE_DATABASE,
        log,
      });
      const dataExports = await startDataExportSource({ nc, db, database: env.MESSAGE_DATABASE, log });
      const presence = await startPresence({
        nc,
        db,
        pool,
        database: env.MESSAGE_DATABASE,
        sweepIntervalMs: env.PRESENCE_SWEEP_INTERVAL_MS,
        bucket: env.PRESENCE_BUCKET,
        log,
      });
      return {
        verifyAccessToken: accessTokenVerifierFor(env),
        context: (base): MessageContext => ({
          ...base,
          db,
          services,
          loaders: createLoaders(db, base.viewer?.userId),
        }),
        stop: async () => {
          for (const timer of services.ringTimers) clearTimeout(timer);
          await stopConsumers([
            knownUsers,
            knownImages,
            knownFiles,
            dataExports,
            fanOut,
            searchIndexer,
            notificationRequests,
            presence,
          ]);
        },
      };
    },
  });
}

import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { eq, sql } from 'drizzle-orm';
import { createDatabase, createPool } from '@letstalk/db';
import {
  connectNats,
  decodeEvent,
  messageCreated,
  messageEdited,
  previewImageReleased,
  previewImageRequested,
  previewUpdated,
  type EventPayload,
} from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { publishEvent, startFakeDns, startFakeTokenIssuer, startPrivateNats, localServices } from '@letstalk/testing';
import { loadPreviewEnv, loadPreviewWorkerEnv } from '../src/env.ts';
import { startPreviewService } from '../src/service.ts';
import { linkPreviews, tables } from '../src/data/tables.ts';
import { linkKey, normalizeLink } from '../src/links/normalize-link.ts';
import { startPreviewWorkerService } from '../src/worker/service.ts';

export interface LinkPreviewResult {
  status: 'PENDING' | 'READY' | 'FAILED';
  url: string;
  title: string | null;
  description: string | null;
  siteName: string | null;
  image: { id: string } | null;
}

/** Collects every event of one subject seen on NATS from now on (JetStream publishes reach core subscribers too). */
function collect<Contract extends typeof previewUpdated | typeof previewImageRequested | typeof previewImageReleased>(
  nc: NatsConnection,
  contract: Contract,
) {
  const seen: EventPayload<Contract>[] = [];
  const subscription: Subscription = nc.subscribe(contract.subject, {
    callback: (_error, message) => {
      seen.push(decodeEvent(contract, message.data));
    },
  });
  return { seen, subscription };
}

/**
 * The preview subgraph and its worker, in-process against the real MariaDB and a NATS server of its own,
 * with 127.0.0.1 (and only it) allowed to be fetched. Messages are announced the way the message subgraph does
 * (`message.created`/`message.edited` on JetStream); the media worker's part (page images) is played by
 * the test through `media.image.processed`. Host names are asked of a fake name server on 127.0.0.1 that
 * knows none (NXDOMAIN), never of the system's.
 */
export async function startPreviewHarness() {
  const issuer = await startFakeTokenIssuer();
  // Its own NATS: other suites' media workers would answer this worker's image requests (see startPrivateNats).
  const nats = await startPrivateNats();
  const dns = await startFakeDns({});
  const variables = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PREVIEW_PORT: '0',
    PREVIEW_WORKER_PORT: '0',
    PREVIEW_DATABASE: 'letstalk_preview_test',
    PREVIEW_ALLOW_HOSTS: '127.0.0.1',
    PREVIEW_DNS_SERVERS: dns.server,
    DATABASE_URL: localServices().databaseUrl,
    NATS_URL: nats.url,
    AUTH_JWKS_URL: issuer.jwksUrl,
  };
  const env = loadPreviewEnv(variables);
  const log = createLogger({ service: 'preview', level: 'silent', pretty: false });
  const service = await startPreviewService(env, log);
  // Retries a few milliseconds apart, so a test sees every attempt of a failing site.
  const worker = await startPreviewWorkerService(loadPreviewWorkerEnv(variables), log, { retryDelayMs: () => 50 });
  const nc = await connectNats(env.NATS_URL, 'preview-test');
  const updates = collect(nc, previewUpdated);
  const imageRequests = collect(nc, previewImageRequested);
  const imageReleases = collect(nc, previewImageReleased);
  const pool = createPool(env.DATABASE_URL, env.PREVIEW_DATABASE);
  const db = createDatabase(pool, tables);
  const token = await issuer.tokenFor(randomUUID());

  /** `_entities` as the gateway asks it, with the `firstLink` and `createdAt` (default: now) the message subgraph provides. */
  async function previews(
    messages: { id: string; firstLink: string | null; createdAt?: string }[],
  ): Promise<(LinkPreviewResult | null)[]> {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on Message { linkPreview { status url title description siteName image { id } } } } }`,
        variables: {
          representations: messages.map((message) => ({
            __typename: 'Message',
            id: message.id,
            firstLink: message.firstLink,
            createdAt: message.createdAt ?? new Date().toISOString(),
          })),
        },
      }),
    });
    const body = (await response.json()) as {
      data?: { _entities: { linkPreview: LinkPreviewResult | null }[] };
      errors?: unknown;
    };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data._entities.map((entity) => entity.linkPreview);
  }

  /** A message in a new chat, announced as sent now. */
  async function send(firstLink: string | null) {
    const chatId = randomUUID();
    const message = {
      chatId,
      messageId: `${chatId}:1`,
      seq: 1,
      senderId: randomUUID(),
      imageId: null,
      firstLink,
      createdAt: new Date().toISOString(),
    };
    await publishEvent(nc, messageCreated, message);
    return { id: message.messageId, chatId, firstLink };
  }

  async function edit(message: { id: string; chatId: string }, firstLink: string | null) {
    await publishEvent(nc, messageEdited, {
      chatId: message.chatId,
      messageId: message.id,
      seq: 1,
      firstLink,
      editedAt: new Date().toISOString(),
    });
    return { ...message, firstLink };
  }

  return {
    env,
    nc,
    /** The worker's name server: `dns.queries` are the questions it was asked. */
    dns,
    previews,
    send,
    edit,
    /** `preview.updated` events for one message so far. */
    updatesOf: (messageId: string) => updates.seen.filter((event) => event.messageId === messageId),
    /** `preview.image.requested` events for an image URL (or, `prefix`, for URLs that start so), so far. */
    imageRequestsFor: (url: string, prefix = false) =>
      imageRequests.seen.filter((event) => (prefix ? event.url.startsWith(url) : event.url === url)),
    /** Image ids of `preview.image.released` events so far. */
    releasedImages: () => imageReleases.seen.map((event) => event.imageId),
    /** A link's row in the preview database. */
    row: async (link: string) =>
      (
        await db
          .select()
          .from(linkPreviews)
          .where(eq(linkPreviews.urlHash, linkKey(normalizeLink(link)!)))
      )[0],
    /**
     * Makes a link's preview expire now in the database, as a day later would (the subgraph process still
     * shows what it keeps in memory until the real expiry: read {@link row} to see the refresh).
     */
    expire: async (link: string) => {
      await db
        .update(linkPreviews)
        .set({ expiresAt: sql`NOW(3) - INTERVAL 1 SECOND` })
        .where(eq(linkPreviews.urlHash, linkKey(normalizeLink(link)!)));
    },
    close: async () => {
      updates.subscription.unsubscribe();
      imageRequests.subscription.unsubscribe();
      imageReleases.subscription.unsubscribe();
      await pool.end();
      await nc.drain();
      await worker.stop();
      await service.stop();
      await issuer.close();
      await nats.stop();
      await dns.close();
    },
  };
}

import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  durableName,
  eventIdOf,
  givesUpOn,
  mediaImageProcessed,
  messageCreated,
  MESSAGES_WITH_A_LINK,
  messageEdited,
  SERVER_OWNER_ID,
  startEventConsumer,
  stopConsumers,
  type OutboxRelay,
  writeWithEvents,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { previewFetchDuration } from '@letstalk/metrics';
import { FETCH_ATTEMPTS, FetchError, type SafeFetcher } from '@letstalk/safe-fetch';
import type { PreviewDb } from '../data/tables.ts';
import {
  claimPreview,
  recordImage,
  recordPage,
  type PageOutcome,
  type PreviewTtl,
} from '../data/preview-repository.ts';
import { MAX_PAGE_BYTES } from '../limits.ts';
import { linkKey, normalizeLink } from '../links/normalize-link.ts';
import { parsePage } from './parse-page.ts';

/** Pages one worker process fetches at once (waiting on the network, not the CPU). */
const PREVIEW_WORKER_CONCURRENCY = 16;

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * Fetches and reads one page. A failure the site may get over (5xx, a refused or reset connection, DNS)
 * is thrown while attempts remain, so the event is retried with back-off; every other failure (not
 * allowed, not HTML, too slow, too many redirects, 4xx, nothing to show) is the answer.
 */
async function fetchPreview(
  fetcher: SafeFetcher,
  url: string,
  lastAttempt: boolean,
): Promise<PageOutcome & { failure?: string }> {
  try {
    const fetched = await fetcher.fetch(url, {
      maxBytes: MAX_PAGE_BYTES,
      overflow: 'truncate',
      accepts: (type) => HTML_TYPES.has(type),
      accept: 'text/html,application/xhtml+xml;q=0.9',
    });
    const page = await parsePage(fetched);
    if (!page.title && !page.description)
      return { kind: 'failed', reason: 'The page has no title or description.', failure: 'empty' };
    return { kind: 'page', ...page };
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    if (error.retryable && !lastAttempt) throw error;
    return { kind: 'failed', reason: error.message, failure: error.kind };
  }
}

/** What kind of failure an error is, for a log line: a fetch failure's kind, or the error's class. */
const errorKind = (error: unknown) =>
  error instanceof FetchError ? error.kind : error instanceof Error ? error.name : 'unknown';

/**
 * {@link fetchPreview}, timed by outcome: `page`, `failed` (the answer is that there is no preview), `retry`
 * (a failure the site may get over, thrown to be retried), `error` (anything else thrown).
 */
async function timedFetchPreview(
  fetcher: SafeFetcher,
  url: string,
  lastAttempt: boolean,
): Promise<PageOutcome & { failure?: string }> {
  const started = performance.now();
  let outcome = 'error';
  try {
    const page = await fetchPreview(fetcher, url, lastAttempt);
    outcome = page.kind;
    return page;
  } catch (error) {
    if (error instanceof FetchError) outcome = 'retry';
    throw error;
  } finally {
    previewFetchDuration.observe({ outcome }, (performance.now() - started) / 1000);
  }
}

/**
 * The preview worker: durable consumers of `message.created` and `message.edited` that fetch the first
 * link of each message (once per link while its preview is fresh, however many messages show it) and
 * record what the page says, and of `media.image.processed` for the page images it asked the media worker
 * for. Every message that was shown a PENDING preview hears `preview.updated` when it settles.
 */
export async function startPreviewWorker(options: {
  nc: NatsConnection;
  db: PreviewDb;
  relay: OutboxRelay;
  log: Logger;
  fetcher: SafeFetcher;
  ttl: PreviewTtl;
  /** The preview database: the consumers are named after it (see durableName). */
  database: string;
  retryDelayMs?: (deliveryCount: number) => number;
}) {
  const { nc, db, relay, log, fetcher, ttl, database } = options;

  /** Claims, fetches and records a message's link preview; false when the message has no link. */
  async function previewLink(
    link: { chatId: string; messageId: string; firstLink: string | null; shownAt: string },
    message: JsMsg,
  ): Promise<boolean> {
    const url = link.firstLink === null ? null : normalizeLink(link.firstLink);
    if (url === null) return false;
    const urlHash = linkKey(url);
    const eventId = eventIdOf(message);
    const claim = await claimPreview(
      db,
      { chatId: link.chatId, messageId: link.messageId, url, urlHash, shownAt: new Date(link.shownAt) },
      eventId,
    );
    if (claim === 'fetch') {
      // One line per fetch: the link's hash and the failure's kind, never the link (it is message text).
      const started = performance.now();
      const job = { messageId: link.messageId, urlHash, attempt: message.info.deliveryCount };
      const durationMs = () => Math.round(performance.now() - started);
      const outcome = await timedFetchPreview(fetcher, url, message.info.deliveryCount >= FETCH_ATTEMPTS).catch(
        async (error: unknown) => {
          log.warn({ ...job, outcome: 'error', failure: errorKind(error), durationMs: durationMs() }, 'preview fetch');
          // Given up on (the handler itself keeps failing, not for a transient reason): the preview settles
          // FAILED rather than stay PENDING.
          if (givesUpOn(error, message))
            await recordPage(db, urlHash, eventId, { kind: 'failed', reason: 'The page could not be read.' }, ttl);
          throw error;
        },
      );
      await recordPage(db, urlHash, eventId, outcome, ttl);
      log.info({ ...job, outcome: outcome.kind, failure: outcome.failure, durationMs: durationMs() }, 'preview fetch');
    }
    return true;
  }

  const common = {
    nc,
    log,
    concurrency: PREVIEW_WORKER_CONCURRENCY,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
  };
  const consumers = await Promise.all([
    startEventConsumer({
      ...common,
      contract: messageCreated,
      filter: MESSAGES_WITH_A_LINK,
      durable: durableName(database, 'worker-created-links'),
      // Took every message.created (the subject had no tokens) to ignore most.
      formerly: durableName(database, 'worker-created'),
      handle: (event, message) =>
        writeWithEvents(
          relay,
          () => previewLink({ ...event, shownAt: event.createdAt }, message),
          (wrote) => wrote,
        ),
    }),
    startEventConsumer({
      ...common,
      contract: messageEdited,
      durable: durableName(database, 'worker-edited'),
      formerly: `preview-worker-edited-${database}`,
      handle: (event, message) =>
        writeWithEvents(
          relay,
          () => previewLink({ ...event, shownAt: event.editedAt }, message),
          (wrote) => wrote,
        ),
    }),
    startEventConsumer({
      ...common,
      contract: mediaImageProcessed,
      durable: durableName(database, 'worker-images'),
      formerly: `preview-worker-images-${database}`,
      handle: async (event) => {
        if (event.ownerId !== SERVER_OWNER_ID) return;
        await writeWithEvents(
          relay,
          () => recordImage(db, event.imageId, event.status, ttl),
          (recorded) => recorded,
        );
      },
    }),
  ]);
  return { stop: () => stopConsumers(consumers) };
}

import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { enqueueEvent, previewImageReleased, previewImageRequested, previewUpdated } from '@letstalk/events';
import type { PreviewDb, PreviewTx } from './tables.ts';
import { linkPreviews, previewWaiters } from './tables.ts';

export type PreviewRow = typeof linkPreviews.$inferSelect;

/** How long a fetch (or the wait for its image) may hold a link before another message's event takes it over. */
const CLAIM_TIMEOUT_MS = 2 * 60 * 1000;
/**
 * A message shown within this long after its link's preview settled may have been shown PENDING, so it is
 * told of the settled preview (covers clocks of different hosts disagreeing a little).
 */
const SHOWN_SKEW_MS = 5_000;

/** How long previews stay fresh before a new message with the link has the page fetched again. */
export interface PreviewTtl {
  readyMs: number;
  failedMs: number;
}

/** A message that shows a link, as the worker hears of it. */
export interface LinkShown {
  chatId: string;
  messageId: string;
  /** The normalized link and its key. */
  url: string;
  urlHash: string;
  /** When the message was sent (or edited to show this link). */
  shownAt: Date;
}

/** What fetching a page found. */
export type PageOutcome =
  | { kind: 'page'; title: string | null; description: string | null; siteName: string | null; imageUrl: string | null }
  | { kind: 'failed'; reason: string };

export function findPreviews(db: PreviewDb, urlHashes: readonly string[]): Promise<PreviewRow[]> {
  return db
    .select()
    .from(linkPreviews)
    .where(inArray(linkPreviews.urlHash, [...urlHashes]));
}

const lockPreview = async (tx: PreviewTx, urlHash: string) =>
  (await tx.select().from(linkPreviews).where(eq(linkPreviews.urlHash, urlHash)).for('update'))[0];

async function addWaiter(tx: PreviewTx, shown: LinkShown) {
  await tx
    .insert(previewWaiters)
    .values({ urlHash: shown.urlHash, messageId: shown.messageId, chatId: shown.chatId })
    .onDuplicateKeyUpdate({ set: { chatId: shown.chatId } });
}

/**
 * Decides, under the link's row lock, what a message's event does: `fetch` (nobody has the page, or it
 * expired, or this event had claimed it before a redelivery), `wait` (another event is fetching it: this
 * message is told when it settles) or `settled` (fresh: nothing to fetch; the message is told at once if it
 * may have been shown PENDING).
 */
export async function claimPreview(
  db: PreviewDb,
  shown: LinkShown,
  eventId: string,
  now = new Date(),
): Promise<'fetch' | 'wait' | 'settled'> {
  return db.transaction(async (tx) => {
    // Insert first, then lock: two first messages of a link wait for each other on the row instead of both
    // taking a gap lock and deadlocking on their inserts. A new row is PENDING and unclaimed (claimed below).
    await tx
      .insert(linkPreviews)
      .values({ urlHash: shown.urlHash, url: shown.url, status: 'PENDING' })
      .onDuplicateKeyUpdate({ set: { urlHash: sql`url_hash` } });
    const row = (await lockPreview(tx, shown.urlHash))!;
    const claim = { claimedBy: eventId, claimedAt: now };
    const claimedElsewhere =
      row.claimedBy !== null &&
      row.claimedBy !== eventId &&
      row.claimedAt !== null &&
      now.getTime() - row.claimedAt.getTime() < CLAIM_TIMEOUT_MS;
    if (claimedElsewhere) {
      await addWaiter(tx, shown);
      return 'wait';
    }
    if (row.claimedBy !== null || (row.expiresAt ?? now) <= now) {
      // An image asked for under a lapsed claim is ignored if it ever arrives.
      await tx
        .update(linkPreviews)
        .set({ ...claim, pendingImageId: null, pendingImageSource: null })
        .where(eq(linkPreviews.urlHash, shown.urlHash));
      await addWaiter(tx, shown);
      return 'fetch';
    }
    if (row.settledAt && row.settledAt.getTime() > shown.shownAt.getTime() - SHOWN_SKEW_MS) {
      await enqueueEvent(tx, previewUpdated, {
        chatId: shown.chatId,
        messageId: shown.messageId,
        status: row.status === 'READY' ? 'READY' : 'FAILED',
      });
    }
    return 'settled';
  });
}

/**
 * Settles a locked row and tells every waiting message. An image the row showed and no longer does is
 * released (the media worker deletes it).
 */
async function settle(
  tx: PreviewTx,
  row: PreviewRow,
  values: Partial<PreviewRow> & { status: 'READY' | 'FAILED' },
  expiresAt: Date,
  now: Date,
) {
  if (row.imageId && 'imageId' in values && values.imageId !== row.imageId) {
    await enqueueEvent(tx, previewImageReleased, { imageId: row.imageId });
  }
  await tx
    .update(linkPreviews)
    .set({
      ...values,
      settledAt: now,
      expiresAt,
      claimedBy: null,
      claimedAt: null,
      pendingImageId: null,
      pendingImageSource: null,
    })
    .where(eq(linkPreviews.urlHash, row.urlHash));
  const waiters = await tx.select().from(previewWaiters).where(eq(previewWaiters.urlHash, row.urlHash));
  for (const waiter of waiters) {
    await enqueueEvent(tx, previewUpdated, {
      chatId: waiter.chatId,
      messageId: waiter.messageId,
      status: values.status,
    });
  }
  if (waiters.length > 0) await tx.delete(previewWaiters).where(eq(previewWaiters.urlHash, row.urlHash));
}

/**
 * Records what this event's fetch found, unless its claim was taken over meanwhile. A page with a new
 * image stays PENDING (or, when refreshing, READY with its old image) until the media worker has the
 * image: `preview.image.requested` goes out in the same transaction.
 */
export async function recordPage(
  db: PreviewDb,
  urlHash: string,
  eventId: string,
  outcome: PageOutcome,
  ttl: PreviewTtl,
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockPreview(tx, urlHash);
    if (!row || row.claimedBy !== eventId) return;
    if (outcome.kind === 'failed') {
      const failedAt = new Date(now.getTime() + ttl.failedMs);
      // A refresh that fails keeps showing what the page said before; it is tried again as soon as a failure would be.
      if (row.status === 'READY') return settle(tx, row, { status: 'READY' }, failedAt, now);
      return settle(tx, row, { status: 'FAILED', failureReason: outcome.reason.slice(0, 200) }, failedAt, now);
    }
    const content = {
      title: outcome.title,
      description: outcome.description,
      siteName: outcome.siteName,
      failureReason: null,
    };
    const readyUntil = new Date(now.getTime() + ttl.readyMs);
    if (outcome.imageUrl === null)
      return settle(tx, row, { status: 'READY', ...content, imageId: null, imageSource: null }, readyUntil, now);
    if (outcome.imageUrl === row.imageSource && row.imageId)
      return settle(tx, row, { status: 'READY', ...content }, readyUntil, now);
    const imageId = randomUUID();
    await tx
      .update(linkPreviews)
      .set({ ...content, pendingImageId: imageId, pendingImageSource: outcome.imageUrl, claimedAt: now })
      .where(eq(linkPreviews.urlHash, urlHash));
    await enqueueEvent(tx, previewImageRequested, { imageId, url: outcome.imageUrl });
  });
}

/**
 * Settles the preview that waits for image `imageId` (READY: the image is shown; FAILED: the preview shows
 * without one, or with its previous image). Returns false when no preview waits for it.
 */
export async function recordImage(
  db: PreviewDb,
  imageId: string,
  status: 'READY' | 'FAILED',
  ttl: PreviewTtl,
  now = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(linkPreviews).where(eq(linkPreviews.pendingImageId, imageId)).for('update');
    if (!row) return false;
    const image = status === 'READY' ? { imageId, imageSource: row.pendingImageSource } : {};
    await settle(tx, row, { status: 'READY', ...image }, new Date(now.getTime() + ttl.readyMs), now);
    return true;
  });
}

import { EVENTS_MAX_AGE_MS } from '@letstalk/events';
import type { PreviewContext } from '../context.ts';
import type { LinkPreviewView } from '../data/link-preview-view.ts';
import type { MessageResolvers } from '../generated/resolvers.ts';
import { linkKey, normalizeLink } from '../links/normalize-link.ts';

/**
 * `Message.linkPreview`: the message subgraph hands over `firstLink` and `createdAt` (`@requires`), so a
 * message whose link was never seen shows PENDING at once, before any worker heard of it. Who may read the message was
 * decided where messages live; a preview is what a page says about itself, the same for everyone.
 */
export const Message: MessageResolvers<PreviewContext> = {
  async linkPreview(message, _args, context): Promise<LinkPreviewView | null> {
    const link = message.firstLink;
    if (!link) return null;
    const normalized = normalizeLink(link);
    if (normalized === null) return { status: 'FAILED', url: link, row: null };
    const row = await context.loaders.preview.load(linkKey(normalized));
    // Older than the events stream keeps: the event that would bring its preview is gone (sent before
    // previews were deployed, say), so it will never come.
    if (!row && message.createdAt && Date.parse(String(message.createdAt)) < Date.now() - EVENTS_MAX_AGE_MS) {
      return { status: 'FAILED', url: link, row: null };
    }
    if (!row || row.status === 'PENDING') return { status: 'PENDING', url: link, row: null };
    // A FAILED preview shows no page content, even what an earlier fetch found.
    return { status: row.status, url: link, row: row.status === 'READY' ? row : null };
  },
};

import type { PreviewContext } from '../context.ts';
import type { LinkPreviewView } from '../data/link-preview-view.ts';
import type { MessageResolvers } from '../generated/resolvers.ts';
import { linkKey, normalizeLink } from '../links/normalize-link.ts';

/**
 * `Message.linkPreview`: the message subgraph hands over `firstLink` (`@requires`), so a message whose
 * link was never seen shows PENDING at once, before any worker heard of it. Who may read the message was
 * decided where messages live; a preview is what a page says about itself, the same for everyone.
 */
export const Message: MessageResolvers<PreviewContext> = {
  async linkPreview(message, _args, context): Promise<LinkPreviewView | null> {
    const link = message.firstLink;
    if (!link) return null;
    const normalized = normalizeLink(link);
    if (normalized === null) return { status: 'FAILED', url: link, row: null };
    const row = await context.loaders.preview.load(linkKey(normalized));
    if (!row || row.status === 'PENDING') return { status: 'PENDING', url: link, row: null };
    return { status: row.status, url: link, row };
  },
};

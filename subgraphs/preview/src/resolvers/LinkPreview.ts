import type { LinkPreviewResolvers } from '../generated/resolvers.ts';

/** The page's content, which a view holds only when READY (see Message.linkPreview). */
export const LinkPreview: LinkPreviewResolvers = {
  title: (view) => view.row?.title ?? null,
  description: (view) => view.row?.description ?? null,
  siteName: (view) => view.row?.siteName ?? null,
  image: (view) => (view.row?.imageId ? { __typename: 'Image', id: view.row.imageId } : null),
};

import type { LinkPreviewResolvers } from '../generated/resolvers.ts';

/** A FAILED preview shows no page content, even what an earlier fetch found. */
const shown = <T>(view: { status: string }, value: T | null | undefined) => (view.status === 'READY' ? (value ?? null) : null);

export const LinkPreview: LinkPreviewResolvers = {
  title: (view) => shown(view, view.row?.title),
  description: (view) => shown(view, view.row?.description),
  siteName: (view) => shown(view, view.row?.siteName),
  image: (view) => {
    const id = shown(view, view.row?.imageId);
    return id ? { __typename: 'Image', id } : null;
  },
};

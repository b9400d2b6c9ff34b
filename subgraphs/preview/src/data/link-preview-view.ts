import type { PreviewRow } from './preview-repository.ts';

/** A `LinkPreview` as resolvers return it: the link as written in the message, and its row when READY. */
export interface LinkPreviewView {
  status: 'PENDING' | 'READY' | 'FAILED';
  url: string;
  row: PreviewRow | null;
}

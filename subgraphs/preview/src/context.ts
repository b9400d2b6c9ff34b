import type DataLoader from 'dataloader';
import type { BaseContext } from '@letstalk/server';
import type { PreviewRow } from './data/preview-repository.ts';
import type { PreviewDb } from './data/tables.ts';

export interface PreviewContext extends BaseContext {
  db: PreviewDb;
  /** Previews by link key (see normalize-link.ts): a page of messages costs one query. */
  loaders: { preview: DataLoader<string, PreviewRow | null> };
}

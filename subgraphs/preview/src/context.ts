import type DataLoader from 'dataloader';
import type { Database } from '@letstalk/db';
import type { BaseContext } from '@letstalk/server';
import type { PreviewRow } from './data/preview-repository.ts';
import type { tables } from './data/tables.ts';

export type PreviewDb = Database<typeof tables>;

export interface PreviewContext extends BaseContext {
  db: PreviewDb;
  /** Previews by link key (see normalize-link.ts): a page of messages costs one query. */
  loaders: { preview: DataLoader<string, PreviewRow | null> };
}

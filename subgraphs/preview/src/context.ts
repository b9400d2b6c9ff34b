import type { Database } from '@letstalk/db';
import type { BaseContext } from '@letstalk/server';
import type { tables } from './data/tables.ts';

export type PreviewDb = Database<typeof tables>;

export interface PreviewContext extends BaseContext {
  db: PreviewDb;
}

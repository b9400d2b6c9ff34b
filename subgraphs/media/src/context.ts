import type { Database } from '@letstalk/db';
import type { BaseContext } from '@letstalk/server';
import type { tables } from './data/tables.ts';

export type MediaDb = Database<typeof tables>;

export interface MediaContext extends BaseContext {
  db: MediaDb;
}

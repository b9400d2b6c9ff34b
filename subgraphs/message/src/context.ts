import type { Database } from '@letstalk/db';
import type { BaseContext } from '@letstalk/server';
import type { tables } from './data/tables.ts';

export type MessageDb = Database<typeof tables>;

export interface MessageContext extends BaseContext {
  db: MessageDb;
}

import { writeWithEvents as writeThenNudge } from '@letstalk/events';
import type { MessageContext } from '../../context.ts';
import type { MessageDb } from '../../data/tables.ts';

/** {@link writeThenNudge} on the request's database and the service's relay. */
export const writeWithEvents = <Result>(
  context: Pick<MessageContext, 'db' | 'services'>,
  write: (db: MessageDb) => Promise<Result>,
  enqueued?: (result: Result) => boolean | readonly string[],
): Promise<Result> => writeThenNudge(context.services.relay, () => write(context.db), enqueued);

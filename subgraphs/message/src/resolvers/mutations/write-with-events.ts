import type { MessageContext } from '../../context.ts';
import type { MessageDb } from '../../data/tables.ts';

/**
 * Runs a write whose transaction may enqueue events (`write` runs and commits it), then wakes the outbox
 * relay so that they are published now rather than at its next poll. `enqueued` tells from the result
 * whether the write stored any; by default it may have.
 */
export async function writeWithEvents<Result>(
  context: Pick<MessageContext, 'db' | 'services'>,
  write: (db: MessageDb) => Promise<Result>,
  enqueued: (result: Result) => boolean = () => true,
): Promise<Result> {
  const result = await write(context.db);
  if (enqueued(result)) context.services.relay.nudge();
  return result;
}

import type { NatsConnection } from '@nats-io/transport-node';
import {
  durableName,
  messageCreated,
  messageDeleted,
  messageEdited,
  startEventConsumer,
  stopConsumers,
} from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { findMessages } from '../data/message-repository.ts';
import type { MessageDb } from '../data/tables.ts';
import type { SearchIndex } from './search-index.ts';

/**
 * How far back a new indexer starts: migration 0010 indexed every message there was, and older instances of a
 * rolling upgrade may send for a while after it ran.
 */
const NEW_INDEXER_LOOKBACK_MS = 10 * 60 * 1000;

/**
 * Keeps the search index in step with messages: every created, edited or deleted message is read again and put
 * into the index (or taken out), so the events may come in any order and twice.
 */
export async function startSearchIndexer(options: {
  nc: NatsConnection;
  db: MessageDb;
  index: SearchIndex;
  database: string;
  log: Logger;
}) {
  const { db, index } = options;
  /** What the index should hold of a message now: undefined when nothing (deleted, or no text). */
  const current = async (key: { chatId: string; seq: number }) => {
    const [message] = await findMessages(db, [key]);
    return message && !message.deletedAt && message.text !== null
      ? { ...key, createdAt: message.createdAt, text: message.text }
      : undefined;
  };
  // Written, then read again: when another handler (another event of the message, on any instance) wrote an
  // older text after this one read, the message has changed since, and this one writes again until they agree.
  const reindex = async ({ chatId, seq }: { chatId: string; seq: number }) => {
    let entry = await current({ chatId, seq });
    for (;;) {
      if (entry) await index.put(entry);
      else await index.remove({ chatId, seq });
      const now = await current({ chatId, seq });
      if (now?.text === entry?.text) return;
      entry = now;
    }
  };
  const consumers = await Promise.all(
    [messageCreated, messageEdited, messageDeleted].map((contract) =>
      startEventConsumer({
        nc: options.nc,
        contract,
        durable: durableName(options.database, `search-${contract.subject.replace(/\W/g, '-')}`),
        log: options.log,
        startTime: new Date(Date.now() - NEW_INDEXER_LOOKBACK_MS),
        handle: reindex,
      }),
    ),
  );
  return { stop: () => stopConsumers(consumers) };
}

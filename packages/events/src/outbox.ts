import { randomUUID } from 'node:crypto';
import { bigint, index, mysqlTable, text, varchar } from 'drizzle-orm/mysql-core';
import type { MySqlDatabase } from 'drizzle-orm/mysql-core';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { createdAtColumn, dateTime3, poolDatabase, type Pool, type RowDataPacket } from '@letstalk/db';
import type { Logger } from '@letstalk/log';
import { outboxPublished, outboxRelayFailures } from '@letstalk/metrics';
import {
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  contextFromStored,
  injectInto,
  inSpan,
  isTracing,
  SpanKind,
  storedTraceContext,
} from '@letstalk/tracing';
import { subjectOf, type EventContract, type EventEnvelope, type EventPayload } from './contract.ts';
import { OUTBOX_RETENTION_MS, purgePublishedOutbox, watchBacklog } from './outbox-upkeep.ts';

/** Rows the relay publishes in one transaction. */
const OUTBOX_BATCH_SIZE = 200;
/**
 * How long the relay leaves a subject aside after one of its rows failed to publish (no stream takes it, say,
 * after a deployment that added a subject before its stream): the other subjects' rows go on meanwhile. Short,
 * as every subject fails while NATS is away, and each then waits this long after it is back.
 */
const OUTBOX_SUBJECT_BACKOFF_MS = 1_000;
/** How often the relay looks for rows when nobody nudges it. */
const OUTBOX_POLL_INTERVAL_MS = 250;

/**
 * The outbox table; every subgraph that emits events includes it in its drizzle schema so that its
 * migrations create it in its own database.
 */
export const outbox = mysqlTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    msgId: varchar('msg_id', { length: 64 }).notNull().unique(),
    subject: varchar('subject', { length: 200 }).notNull(),
    payload: text('payload').notNull(),
    /** The trace the write belongs to (W3C `traceparent`/`tracestate` as JSON), while tracing is on; see docs/tracing.md. */
    traceContext: text('trace_context'),
    createdAt: createdAtColumn('created_at'),
    publishedAt: dateTime3('published_at'),
  },
  (table) => [index('outbox_published_at_id').on(table.publishedAt, table.id)],
);

// Any drizzle MySQL database or transaction can enqueue.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- databases and transactions differ in all four type parameters; only `insert` is used
type Writer = Pick<MySqlDatabase<any, any, any, any>, 'insert'>;

/**
 * Writes an event into the outbox inside the caller's transaction, so it is stored if and only if the
 * state change commits. The payload is validated against its contract first. Resolves with the event's
 * message id (see writeWithEvents).
 */
export async function enqueueEvent<Contract extends EventContract>(
  tx: Writer,
  contract: Contract,
  data: EventPayload<Contract>,
  msgId: string = randomUUID(),
): Promise<string> {
  const parsed = contract.schema.parse(data) as EventPayload<Contract>;
  const envelope: EventEnvelope = { v: contract.version, data: parsed };
  const traceContext = storedTraceContext();
  await tx.insert(outbox).values({
    msgId,
    subject: subjectOf(contract, parsed),
    payload: JSON.stringify(envelope),
    ...(traceContext ? { traceContext } : {}),
  });
  return msgId;
}

type OutboxRow = { id: number; msg_id: string; subject: string; payload: string; trace_context: string | null };

/**
 * Publishes one row. When it was written inside a trace (and tracing is on), the publish is a producer span
 * of that trace, and its `traceparent` goes with the message as NATS headers for the consumers to continue.
 */
function publishRow(js: JetStreamClient, row: OutboxRow) {
  const parent = isTracing() ? contextFromStored(row.trace_context) : undefined;
  if (!parent) return js.publish(row.subject, row.payload, { msgID: row.msg_id });
  const attributes = {
    [ATTR_MESSAGING_SYSTEM]: 'nats',
    [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
    [ATTR_MESSAGING_OPERATION_NAME]: 'publish',
    [ATTR_MESSAGING_DESTINATION_NAME]: row.subject,
    [ATTR_MESSAGING_MESSAGE_ID]: row.msg_id,
  };
  return inSpan(`send ${row.subject}`, { kind: SpanKind.PRODUCER, parent, attributes }, () =>
    js.publish(row.subject, row.payload, { msgID: row.msg_id, headers: injectInto(headers()) }),
  );
}

export interface OutboxRelay {
  /** Publishes what is pending now; resolves with the number of events published. */
  flush: () => Promise<number>;
  /**
   * After a local commit: publishes the rows of these message ids now (those that exist: a transaction that
   * rolled back left none), or, without ids, asks the loop to look again right away.
   */
  nudge: (msgIds?: readonly string[]) => void;
  stop: () => Promise<void>;
}

/**
 * Runs a write whose transaction may enqueue events (`write` commits it), then nudges the relay so they are
 * published now rather than at its next poll: the one place a service wakes its relay. `enqueued` tells from
 * the result whether the write stored any (by default it may have), or which: the message ids enqueueEvent
 * resolved with, which the relay publishes by id, two statements and no claim (a hot path hands them over:
 * sending a message). A write that throws nudges nothing (its rows, if any committed, go out at the next poll).
 */
export async function writeWithEvents<Result>(
  relay: Pick<OutboxRelay, 'nudge'>,
  write: () => Promise<Result>,
  enqueued: (result: Result) => boolean | readonly string[] = () => true,
): Promise<Result> {
  const result = await write();
  const events = enqueued(result);
  if (events === true) relay.nudge();
  else if (events !== false && events.length > 0) relay.nudge(events);
  return result;
}

/**
 * Publishes outbox rows to JetStream with their message id as `Nats-Msg-Id`. The rows a write of this process
 * just committed (`nudge(msgIds)`) are read by message id, published and marked, without a transaction: two
 * statements in all. Every OUTBOX_POLL_INTERVAL_MS the loop also claims whatever else is pending (a failed
 * publish, a crashed process's rows) with `FOR UPDATE SKIP LOCKED`, so several relay instances share that
 * work, and marks it published in the same transaction. A row published twice (a crash after publishing and
 * before the mark, or a poll that read a row between its write's commit and its mark) carries the same
 * message id, and JetStream drops the duplicate.
 */
export function startOutboxRelay(options: { pool: Pool; nc: NatsConnection; log: Logger }): OutboxRelay {
  const js = jetstream(options.nc);
  let stopped = false;
  let wake: (() => void) | undefined;
  let lastPurge = 0;
  const database = { database: poolDatabase(options.pool) };
  const stopWatching = watchBacklog(options.pool, database);

  /** Subjects whose rows failed to publish, until when they are left aside (see OUTBOX_SUBJECT_BACKOFF_MS). */
  const setAside = new Map<string, number>();

  /**
   * Publishes a batch. Rows of a subject that failed are left for later, and so are that subject's later rows
   * (each subject's events go out in order); the other subjects' rows are marked published. Rejects when
   * any row failed, once the rest are marked.
   */
  async function flush(): Promise<number> {
    const now = Date.now();
    for (const [subject, until] of setAside) if (until <= now) setAside.delete(subject);
    const aside = [...setAside.keys()];
    const connection = await options.pool.getConnection();
    const failed = new Map<string, unknown>();
    let count: number;
    try {
      // The claim is held while the rows are published, which may wait seconds for NATS. Under REPEATABLE READ
      // the locking read also locked the gap where new rows go, and every write that enqueues an event waited for
      // it (a NATS node's loss stalled every send for 5 s); READ COMMITTED locks only the rows claimed.
      await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await connection.beginTransaction();
      const [rows] = await connection.query<(OutboxRow & RowDataPacket)[]>(
        `SELECT id, msg_id, subject, payload, trace_context FROM outbox WHERE published_at IS NULL${
          aside.length > 0 ? ' AND subject NOT IN (?)' : ''
        } ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        aside.length > 0 ? [aside, OUTBOX_BATCH_SIZE] : [OUTBOX_BATCH_SIZE],
      );
      const outcomes = await Promise.allSettled(rows.map((row) => publishRow(js, row)));
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'rejected') failed.set(rows[index]!.subject, outcome.reason);
      });
      const published = rows.filter((row) => !failed.has(row.subject));
      if (published.length > 0) {
        await connection.query('UPDATE outbox SET published_at = CURRENT_TIMESTAMP(3) WHERE id IN (?)', [
          published.map((row) => row.id),
        ]);
      }
      await connection.commit();
      count = published.length;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
    if (count > 0) outboxPublished.inc(database, count);
    if (failed.size === 0) return count;
    for (const subject of failed.keys()) setAside.set(subject, Date.now() + OUTBOX_SUBJECT_BACKOFF_MS);
    const [first] = failed.values();
    throw new Error(`could not publish ${[...failed.keys()].join(', ')}: ${String(first)}`, { cause: first });
  }

  /** Message ids of rows committed by this process, waiting for publishOwn. */
  const own: string[] = [];

  /**
   * Publishes the rows of `own` that exist and are unpublished, in order (a batch at most); a row that fails is
   * left to the poll, and the failure is thrown once the others are marked.
   */
  async function publishOwn(): Promise<number> {
    const msgIds = own.splice(0, OUTBOX_BATCH_SIZE);
    const [rows] = await options.pool.query<(OutboxRow & RowDataPacket)[]>(
      'SELECT id, msg_id, subject, payload, trace_context FROM outbox WHERE msg_id IN (?) AND published_at IS NULL ORDER BY id',
      [msgIds],
    );
    const outcomes = await Promise.allSettled(rows.map((row) => publishRow(js, row)));
    const published = rows.filter((_, index) => outcomes[index]!.status === 'fulfilled');
    if (published.length > 0) {
      await options.pool.query('UPDATE outbox SET published_at = CURRENT_TIMESTAMP(3) WHERE id IN (?)', [
        published.map((row) => row.id),
      ]);
      outboxPublished.inc(database, published.length);
    }
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw new Error(`could not publish: ${String(failure.reason)}`, { cause: failure.reason });
    return published.length;
  }

  async function purgePublished(): Promise<void> {
    if (Date.now() - lastPurge < OUTBOX_RETENTION_MS / 24) return;
    lastPurge = Date.now();
    await purgePublishedOutbox(options.pool, new Date(Date.now() - OUTBOX_RETENTION_MS), {
      keepGoing: () => !stopped,
    });
  }

  let lookAgain = true;
  let lastPoll = 0;
  const loop = (async () => {
    while (!stopped) {
      let published = 0;
      try {
        if (own.length > 0) await publishOwn();
        if (lookAgain || Date.now() - lastPoll >= OUTBOX_POLL_INTERVAL_MS) {
          lookAgain = false;
          lastPoll = Date.now();
          published = await flush();
          await purgePublished();
        }
      } catch (error) {
        outboxRelayFailures.inc(database);
        options.log.warn({ err: error }, 'outbox relay: publish failed, retrying');
      }
      if (published === OUTBOX_BATCH_SIZE) {
        lookAgain = true;
        continue;
      }
      if (own.length > 0) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(0, lastPoll + OUTBOX_POLL_INTERVAL_MS - Date.now()));
      });
    }
  })();

  return {
    flush,
    nudge: (msgIds) => {
      if (msgIds) own.push(...msgIds);
      else lookAgain = true;
      wake?.();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      stopWatching();
    },
  };
}

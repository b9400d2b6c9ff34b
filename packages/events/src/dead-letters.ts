import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT_PREFIX } from './connection.ts';

/** Headers a dead letter carries: why it was given up on, by which durable consumer, from which stream sequence. */
const DEAD_LETTER_HEADERS = {
  reason: 'LetsTalk-Reason',
  durable: 'LetsTalk-Durable',
  streamSeq: 'LetsTalk-Stream-Seq',
} as const;

/**
 * The header a replayed event carries: the durable consumer it is for. Every other consumer of its subject
 * acknowledges it unhandled (they handled the original), so a replay redoes only what failed.
 */
export const REPLAY_FOR_HEADER = 'LetsTalk-Replay-For';

/** Keeps `message` in the dead-letter stream, with why `durable` gave up on it (its consumer then terminates it). */
export async function publishDeadLetter(js: JetStreamClient, message: JsMsg, durable: string, reason: string) {
  const h = natsHeaders();
  // A header value must be one line (zod's messages are multi-line JSON).
  h.set(DEAD_LETTER_HEADERS.reason, reason.replace(/\s+/g, ' ').slice(0, 500));
  h.set(DEAD_LETTER_HEADERS.streamSeq, String(message.seq));
  h.set(DEAD_LETTER_HEADERS.durable, durable);
  await js.publish(`${DEAD_LETTER_SUBJECT_PREFIX}.${message.subject}`, message.data, { headers: h });
}

/** How long listing waits for the next dead letter before it takes the list as complete. */
const LIST_IDLE_MS = 1_000;

/** One event a consumer gave up on, as `LETSTALK_DEAD_LETTERS` keeps it (30 days). */
export interface DeadLetter {
  /** Its sequence in the dead-letter stream: what `replayDeadLetter` takes. */
  seq: number;
  /** The event's own subject (`message.created`...). */
  subject: string;
  reason: string;
  /** The durable consumer that gave up on it; unknown for letters older than this header. */
  durable: string | undefined;
  storedAt: Date;
}

/** The dead letters kept now, oldest first, at most `limit`, optionally of one event subject only. */
export async function listDeadLetters(
  nc: NatsConnection,
  options: { subject?: string; limit?: number } = {},
): Promise<DeadLetter[]> {
  const consumer = await jetstream(nc).consumers.get(DEAD_LETTER_STREAM, {
    filter_subjects: `${DEAD_LETTER_SUBJECT_PREFIX}.${options.subject ?? '>'}`,
    deliver_policy: DeliverPolicy.All,
  });
  const letters: DeadLetter[] = [];
  const limit = options.limit ?? 1_000;
  const messages = await consumer.fetch({ max_messages: limit, expires: LIST_IDLE_MS });
  for await (const message of messages) {
    letters.push({
      seq: message.seq,
      subject: message.subject.slice(DEAD_LETTER_SUBJECT_PREFIX.length + 1),
      reason: message.headers?.get(DEAD_LETTER_HEADERS.reason) ?? '',
      durable: message.headers?.get(DEAD_LETTER_HEADERS.durable) || undefined,
      storedAt: new Date(message.info.timestampNanos / 1e6),
    });
  }
  return letters;
}

/**
 * Publishes the dead letter `seq` again on its event's subject, for the durable consumer that gave up on it
 * only (see {@link REPLAY_FOR_HEADER}; a letter without a durable goes to every consumer of its subject),
 * then deletes it from the dead-letter stream. Replaying one twice within JetStream's duplicate window
 * publishes it once (its message id is the letter's). Resolves with what was replayed.
 */
export async function replayDeadLetter(nc: NatsConnection, seq: number): Promise<DeadLetter> {
  const jsm = await jetstreamManager(nc);
  const stored = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq });
  if (!stored) throw new Error(`No dead letter ${seq} in ${DEAD_LETTER_STREAM}.`);
  const subject = stored.subject.slice(DEAD_LETTER_SUBJECT_PREFIX.length + 1);
  const durable = stored.header?.get(DEAD_LETTER_HEADERS.durable) || undefined;
  const replay = natsHeaders();
  if (durable) replay.set(REPLAY_FOR_HEADER, durable);
  await jetstream(nc).publish(subject, stored.data, { headers: replay, msgID: `dead-letter-replay-${seq}` });
  await jsm.streams.deleteMessage(DEAD_LETTER_STREAM, seq);
  return {
    seq,
    subject,
    reason: stored.header?.get(DEAD_LETTER_HEADERS.reason) ?? '',
    durable,
    storedAt: stored.time,
  };
}

import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';

const USERS_STREAM = 'LETSTALK_USERS';
const PROFILE_CHANGES = 'user.updated';
/** How long the upgrade waits for the next old event before it takes the stream as read. */
const READ_TIMEOUT_MS = 2_000;

/**
 * Before 2026-11, `user.updated` was stored in LETSTALK_USERS, which has no limits. Once that stream no
 * longer takes the subject, what it still holds of it is moved out: the events some consumer of the subject
 * has not acknowledged yet are published again (to the events stream, with their message ids, so instances
 * doing this at once publish each one once; one acknowledged out of order may arrive twice, which the
 * consumers' handlers take), then the rest is purged and those consumers are deleted (their successors
 * live on the events stream). Does nothing once done.
 */
export async function moveProfileChangesOutOfUsersStream(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(USERS_STREAM, { subjects_filter: PROFILE_CHANGES });
  if (!info.state.subjects?.[PROFILE_CHANGES]) return;
  const consumers: ConsumerInfo[] = [];
  for await (const consumer of jsm.consumers.list(USERS_STREAM)) {
    if (consumer.config.filter_subject === PROFILE_CHANGES) consumers.push(consumer);
  }
  if (consumers.length > 0) {
    const js = jetstream(nc);
    // Read unfiltered: the server refuses a consumer whose filter the stream no longer takes.
    const reader = await js.consumers.get(USERS_STREAM, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.min(...consumers.map((consumer) => consumer.ack_floor.stream_seq)) + 1,
    });
    const next = () => reader.next({ expires: READ_TIMEOUT_MS });
    for (let message = await next(); message; message = message.info.pending > 0 ? await next() : null) {
      if (message.subject !== PROFILE_CHANGES) continue;
      const msgID = message.headers?.get('Nats-Msg-Id') || `${USERS_STREAM}-${message.seq}`;
      const copied = natsHeaders();
      for (const [key, values] of message.headers ?? []) {
        if (key !== 'Nats-Msg-Id') for (const value of values) copied.append(key, value);
      }
      await js.publish(PROFILE_CHANGES, message.data, { msgID, headers: copied });
    }
  }
  await jsm.streams.purge(USERS_STREAM, { filter: PROFILE_CHANGES });
  for (const consumer of consumers) await jsm.consumers.delete(USERS_STREAM, consumer.name).catch(() => false);
}

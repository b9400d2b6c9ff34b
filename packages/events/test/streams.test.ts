import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateNats } from '@letstalk/testing';
import {
  connectNats,
  EVENTS_MAX_AGE_MS,
  EVENTS_STREAM,
  ensureStreams,
  streamOf,
  USERS_STREAM,
  userCreated,
  userUpdated,
} from '../src/index.ts';

const NANOS_PER_MS = 1_000_000;

// Each test runs on a NATS server of its own: it sets the streams up from scratch (or as an older release did).
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function privateNats(): Promise<NatsConnection> {
  const server = await startPrivateNats();
  const nc = await connectNats(server.url, 'streams-test');
  cleanup = async () => {
    await nc.drain();
    await server.stop();
  };
  return nc;
}

describe('streams', () => {
  it('keeps profile changes as long as other events (they are many), and every account for good', async () => {
    const nc = await privateNats();
    await ensureStreams(nc);
    const jsm = await jetstreamManager(nc);
    const updates = await jsm.streams.info(streamOf(userUpdated.subject));
    expect(updates.config.max_age).toBe(EVENTS_MAX_AGE_MS * NANOS_PER_MS);
    const accounts = await jsm.streams.info(streamOf(userCreated.subject));
    expect(accounts.config.name).toBe(USERS_STREAM);
    expect(accounts.config.max_age).toBe(0);
    // One profile change after another, as a loop of updateProfile would send them: kept in the events stream.
    const js = jetstream(nc);
    for (let n = 0; n < 3; n += 1) await js.publish(userUpdated.subject, JSON.stringify({ v: 1, data: { n } }));
    await js.publish(userCreated.subject, JSON.stringify({ v: 1, data: {} }));
    expect((await jsm.streams.info(EVENTS_STREAM)).state.messages).toBe(3);
    expect((await jsm.streams.info(USERS_STREAM)).state.messages).toBe(1);
  });

  it('an installation of an older release moves the profile changes its consumers have not seen, and frees the rest', async () => {
    const nc = await privateNats();
    const jsm = await jetstreamManager(nc);
    // The streams as they were: every user.* subject in LETSTALK_USERS, with no limits.
    await jsm.streams.add({
      name: USERS_STREAM,
      subjects: ['user.>'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
    });
    await jsm.streams.add({
      name: EVENTS_STREAM,
      subjects: ['message.>', 'chat.>', 'media.>', 'preview.>'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
    });
    await jsm.consumers.add(USERS_STREAM, {
      durable_name: 'media-usage-avatars-old',
      filter_subject: userUpdated.subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const js = jetstream(nc);
    const publish = (subject: string, n: number) =>
      js.publish(subject, JSON.stringify({ v: 1, data: { n } }), { msgID: `${subject}-${n}` });
    await publish(userCreated.subject, 1);
    await publish(userUpdated.subject, 1);
    await publish(userUpdated.subject, 2);
    await publish(userCreated.subject, 2);
    await publish(userUpdated.subject, 3);
    // The consumer has handled the first change only.
    const consumer = await js.consumers.get(USERS_STREAM, 'media-usage-avatars-old');
    const handled = await consumer.next({ expires: 2_000 });
    expect(JSON.parse(handled!.string())).toEqual({ v: 1, data: { n: 1 } });
    await handled!.ackAck();

    await ensureStreams(nc);

    const users = await jsm.streams.info(USERS_STREAM, { subjects_filter: '>' });
    expect(users.state.subjects).toEqual({ [userCreated.subject]: 2 });
    const moved = await js.consumers.get(EVENTS_STREAM, { filter_subjects: userUpdated.subject });
    const seen: unknown[] = [];
    for (let message = await moved.next({ expires: 1_000 }); message; message = await moved.next({ expires: 1_000 })) {
      seen.push(JSON.parse(message.string()));
    }
    expect(seen).toEqual([
      { v: 1, data: { n: 2 } },
      { v: 1, data: { n: 3 } },
    ]);
    // Running it again (another instance starting) changes nothing.
    await ensureStreams(nc);
    expect((await jsm.streams.info(EVENTS_STREAM)).state.messages).toBe(2);
  });
});

import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, decodeEvent, streamOf, userCreated, userUpdated, type EventContract } from '@letstalk/events';
import { startUserHarness } from './harness.ts';

let harness: Awaited<ReturnType<typeof startUserHarness>>;
let nc: NatsConnection;
beforeAll(async () => {
  harness = await startUserHarness();
  nc = await connectNats(harness.env.NATS_URL, 'user-events-test');
});
afterAll(async () => {
  await nc?.drain();
  await harness?.close();
});

/** Starts listening on a subject now; resolves with the first event that `matches`. */
async function nextEvent<Contract extends EventContract>(contract: Contract, matches: (event: any) => boolean) {
  const consumer = await jetstream(nc).consumers.get(streamOf(contract.subject), {
    filter_subjects: contract.subject,
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const timer = setTimeout(() => void messages.stop(), 10_000);
  return async () => {
    for await (const message of messages) {
      const event = decodeEvent(contract, message.data);
      if (matches(event)) {
        clearTimeout(timer);
        void messages.stop();
        return event;
      }
    }
    throw new Error(`no ${contract.subject} event arrived`);
  };
}

describe('user events on JetStream', () => {
  it('a sign-up publishes user.created, a profile change user.updated', async () => {
    let userId = '';
    const created = await nextEvent(userCreated, (event) => event.userId === userId);
    const person = await harness.signUpWithEmail();
    userId = person.userId;
    expect(await created()).toMatchObject({ userId });

    const updated = await nextEvent(userUpdated, (event) => event.userId === userId);
    await harness.call(
      'mutation { updateProfile(input: { firstName: "Eve", lastName: "Vent" }) { id } }',
      {},
      { token: person.accessToken },
    );
    expect(await updated()).toMatchObject({ userId, firstName: 'Eve', lastName: 'Vent' });
  });
});

import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { subjectOf, type EventContract, type EventEnvelope, type EventPayload } from '@letstalk/events';

/**
 * Publishes a durable event on JetStream as a subgraph's outbox relay would (validated against its
 * contract, in its envelope, with a message id), for tests that stand in for another subgraph.
 */
export async function publishEvent<Contract extends EventContract>(
  nc: NatsConnection,
  contract: Contract,
  data: EventPayload<Contract>,
  msgID = `${contract.subject}-${randomUUID()}`,
): Promise<void> {
  const parsed = contract.schema.parse(data) as EventPayload<Contract>;
  const envelope: EventEnvelope = { v: contract.version, data: parsed };
  await jetstream(nc).publish(subjectOf(contract, parsed), JSON.stringify(envelope), { msgID });
}

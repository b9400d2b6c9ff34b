import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventContract, EventEnvelope, EventPayload } from '@letstalk/events';

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
  const envelope: EventEnvelope = { v: contract.version, data: contract.schema.parse(data) };
  await jetstream(nc).publish(contract.subject, JSON.stringify(envelope), { msgID });
}

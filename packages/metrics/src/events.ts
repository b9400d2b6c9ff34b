import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.ts';

/** Outbox rows not yet published, per database (read at scrape time). */
export const outboxPending = new Gauge({
  name: 'letstalk_outbox_pending_rows',
  help: 'Outbox rows not yet published to JetStream, per database (read at scrape time; counted up to 100000).',
  labelNames: ['database'] as const,
  registers: [registry],
});

/** Age of the oldest unpublished outbox row, per database: 0 when none waits. */
export const outboxOldestPendingAge = new Gauge({
  name: 'letstalk_outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest outbox row not yet published, per database (0 when none; read at scrape time).',
  labelNames: ['database'] as const,
  registers: [registry],
});

/** Outbox rows this process's relay published. */
export const outboxPublished = new Counter({
  name: 'letstalk_outbox_published_total',
  help: 'Outbox rows published to JetStream by this process relay, per database.',
  labelNames: ['database'] as const,
  registers: [registry],
});

/** Relay rounds that failed (NATS or the database unreachable); the rows stay and are published later. */
export const outboxRelayFailures = new Counter({
  name: 'letstalk_outbox_relay_failures_total',
  help: 'Outbox relay rounds that failed and will be retried, per database.',
  labelNames: ['database'] as const,
  registers: [registry],
});

/** Events stored in the stream that the durable consumer has not delivered yet (read at scrape time). */
export const consumerPending = new Gauge({
  name: 'letstalk_consumer_pending_messages',
  help: 'Events a durable consumer has not yet delivered (JetStream num_pending), by durable (read at scrape time).',
  labelNames: ['durable'] as const,
  registers: [registry],
});

/** Events delivered and not yet acknowledged (being handled, or waiting for a retry). */
export const consumerAckPending = new Gauge({
  name: 'letstalk_consumer_ack_pending_messages',
  help: 'Events delivered but not yet acknowledged (JetStream num_ack_pending), by durable (read at scrape time).',
  labelNames: ['durable'] as const,
  registers: [registry],
});

/** Events handled by this process, by durable and outcome. */
export const consumerHandled = new Histogram({
  name: 'letstalk_consumer_handle_duration_seconds',
  help: 'Events handled by this process, by durable and outcome (acked, retried, dead_lettered), with the handler duration.',
  labelNames: ['durable', 'outcome'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/** Deliveries of an event that were not its first (a retry after a failure, or an ack that timed out). */
export const consumerRedeliveries = new Counter({
  name: 'letstalk_consumer_redeliveries_total',
  help: 'Events received again (delivery count above 1), by durable.',
  labelNames: ['durable'] as const,
  registers: [registry],
});

/** Events given up on: published to `dead.<subject>` and terminated. */
export const consumerDeadLetters = new Counter({
  name: 'letstalk_consumer_dead_letters_total',
  help: 'Events dead-lettered (to dead.<subject>) after their last attempt or for not matching their contract, by durable.',
  labelNames: ['durable'] as const,
  registers: [registry],
});

/** 1 while the NATS connection is up, 0 while it is reconnecting or closed. */
export const natsConnected = new Gauge({
  name: 'letstalk_nats_connected',
  help: 'Whether the NATS connection is up (1) or not (0), by connection name.',
  labelNames: ['connection'] as const,
  registers: [registry],
});

/** Reconnections of the NATS client after the connection was lost. */
export const natsReconnects = new Counter({
  name: 'letstalk_nats_reconnects_total',
  help: 'Times the NATS client reconnected after losing its connection, by connection name.',
  labelNames: ['connection'] as const,
  registers: [registry],
});

/** Losses of the NATS connection. */
export const natsDisconnects = new Counter({
  name: 'letstalk_nats_disconnects_total',
  help: 'Times the NATS connection was lost, by connection name.',
  labelNames: ['connection'] as const,
  registers: [registry],
});

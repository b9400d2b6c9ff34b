import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.ts';

/** Open graphql-ws sockets on the gateway (authenticated or still in `connection_init`). */
export const liveConnections = new Gauge({
  name: 'letstalk_live_connections',
  help: 'Open graphql-ws connections on this gateway.',
  registers: [registry],
});

/** Subscriptions running on the gateway, by root field. */
export const liveSubscriptions = new Gauge({
  name: 'letstalk_live_subscriptions',
  help: 'Active subscriptions on this gateway, by root field.',
  labelNames: ['field'] as const,
  registers: [registry],
});

/** Live event payloads written to sockets (replays of missed messages not included). */
export const liveDeliveries = new Counter({
  name: 'letstalk_live_deliveries_total',
  help: 'Live event payloads written to subscribers sockets.',
  registers: [registry],
});

/**
 * From an event's creation to its frame written to a subscriber's socket. For a stored event, creation is
 * when JetStream stored it (the relay published it); for typing and call signals, when the message subgraph
 * sent it.
 */
export const liveDeliveryLag = new Histogram({
  name: 'letstalk_live_delivery_lag_seconds',
  help: 'Time from a live event being created (stored in JetStream, or signalled) to its frame written to the socket.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/** Sockets closed (1013) because their client did not keep up. */
export const slowConsumerCloses = new Counter({
  name: 'letstalk_live_slow_consumer_closes_total',
  help: 'Sockets closed for reading too slowly, by reason (send_buffer: too many bytes unsent; queue: too many events waiting).',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/**
 * Sockets closed (1012) for their clients to reconnect and resume from their cursors: this gateway's NATS
 * connection was interrupted, and the live events published meanwhile never reached it.
 */
export const liveResumeCloses = new Counter({
  name: 'letstalk_live_resume_closes_total',
  help: 'Sockets closed with 1012 for their clients to resume, after live events were missed during a NATS reconnection.',
  registers: [registry],
});

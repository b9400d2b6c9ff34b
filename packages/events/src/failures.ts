import type { JsMsg } from '@nats-io/jetstream';

/**
 * What a failed event handler's error means for its event: a transient failure (the database, NATS or the
 * storage is away, a deadlock) is retried for as long as it takes; a poison event (its handler says it can
 * never be handled) is dead-lettered at once; anything else is retried a few times and then dead-lettered
 * (see startEventConsumer).
 */

/**
 * Deliveries of one event whose handler keeps failing in a way not known to be transient (a bug, most likely)
 * before it is dead-lettered. A transient failure (see isTransientError) is retried for as long as it takes,
 * bounded only by the stream's retention (7 days for the events stream); a poison event (isPoisonEvent) is
 * dead-lettered at once.
 */
export const MAX_DELIVERIES = 5;
/** The longest wait between two attempts: what an outage costs in delay once it is over. */
const MAX_RETRY_DELAY_MS = 10_000;
/** Back-off before the n-th redelivery after a failure: 1 s, 2 s, 4 s, ... capped at {@link MAX_RETRY_DELAY_MS}. */
export const redeliveryDelayMs = (deliveryCount: number) =>
  Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** Math.min(deliveryCount - 1, 30));

/**
 * Thrown by an event handler that knows the event can never be handled (it contradicts what the handler's
 * data says, say): the event is dead-lettered at once, with this error's message as the reason.
 */
export class PoisonEventError extends Error {
  override name = 'PoisonEventError';
}

/** Thrown by code that knows its failure is temporary (a service answering 5xx, say): retried for as long as it takes. */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** Socket and file-system failures that end when the other side (or the disk) is back. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'EMFILE',
  'ENFILE',
  'ENOSPC',
  'EAGAIN',
  'EBUSY',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** MariaDB/MySQL (mysql2) failures that a retry of the whole transaction gets over. */
const TRANSIENT_DATABASE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_OPTION_PREVENTS_STATEMENT',
]);

/** NATS client errors (by name: @nats-io's classes) of a connection or a server that is away or busy. */
const TRANSIENT_NATS_ERRORS = new Set([
  'TimeoutError',
  'ConnectionError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'NoResponders',
  'RequestError',
  'JetStreamNotEnabled',
]);

/** Messages of mysql2's pool that carry no code: it was closed (the process is stopping), or its connection was. */
const TRANSIENT_DATABASE_MESSAGES = ['Pool is closed.', "Can't add new command when connection is in closed state"];

type Failure = {
  name?: unknown;
  code?: unknown;
  fatal?: unknown;
  status?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
};

function isTransientItself(failure: Failure): boolean {
  if (failure.name === 'TransientError') return true;
  if (
    typeof failure.code === 'string' &&
    (TRANSIENT_SYSTEM_CODES.has(failure.code) || TRANSIENT_DATABASE_CODES.has(failure.code))
  )
    return true;
  // mysql2 marks every failure of the connection itself (rather than of the statement) as fatal.
  if (failure.fatal === true) return true;
  if (typeof failure.message === 'string' && TRANSIENT_DATABASE_MESSAGES.includes(failure.message)) return true;
  if (typeof failure.name === 'string' && TRANSIENT_NATS_ERRORS.has(failure.name)) return true;
  // JetStream busy or without a leader answers 503.
  if (failure.name === 'JetStreamApiError' && failure.status === 503) return true;
  // The AWS SDK (S3 storage): throttling, a timeout, a 5xx.
  if (failure.$retryable) return true;
  const httpStatus = failure.$metadata?.httpStatusCode;
  return typeof httpStatus === 'number' && httpStatus >= 500;
}

/**
 * `true` when an error (or one it was caused by: drizzle wraps the driver's errors, fetch its socket's, graphql-js
 * a resolver's) says
 * the failure is temporary: a connection refused, reset or timed out, a database that went away or chose this
 * transaction as a deadlock victim, NATS away, a storage answering 5xx, a {@link TransientError}.
 */
export function isTransientError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const failure = pending.pop();
    if (typeof failure !== 'object' || failure === null || seen.has(failure)) continue;
    seen.add(failure);
    if (isTransientItself(failure)) return true;
    const { cause, originalError, errors } = failure as Failure;
    pending.push(cause, originalError);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return false;
}

/** `true` for a handler's verdict that its event can never be handled: a {@link PoisonEventError}, or a failed validation (zod). */
export function isPoisonEvent(error: unknown): boolean {
  const name = (error as Failure | undefined)?.name;
  return name === 'PoisonEventError' || name === 'ZodError';
}

/**
 * What the consumer does with an event whose handler threw `error` on delivery number `deliveryCount`:
 * retry it later, or dead-letter it (see {@link MAX_DELIVERIES}).
 */
export function verdictOn(error: unknown, deliveryCount: number): 'retry' | 'dead-letter' {
  if (isPoisonEvent(error)) return 'dead-letter';
  if (isTransientError(error)) return 'retry';
  return deliveryCount >= MAX_DELIVERIES ? 'dead-letter' : 'retry';
}

/**
 * `true` when the consumer will dead-letter the event rather than retry it if its handler throws `error` now:
 * a handler settles its job (an image FAILED rather than PROCESSING for ever) before it rethrows.
 */
export const givesUpOn = (error: unknown, message: JsMsg) =>
  verdictOn(error, message.info.deliveryCount) === 'dead-letter';

/** How long a consumer's start tries again while JetStream does not answer (a cluster electing, or busy). */
const START_RETRY_MS = 60_000;

/**
 * Runs `attempt` again after a second while it fails transiently (a timeout, JetStream without a leader), for up to
 * START_RETRY_MS: a process starting beside many others on a cluster that is busy placing their consumers waits for
 * it rather than exiting.
 */
export async function whileTransient<Result>(attempt: () => Promise<Result>): Promise<Result> {
  const deadline = Date.now() + START_RETRY_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransientError(error) || Date.now() > deadline) throw error;
      await new Promise((wait) => setTimeout(wait, 1_000));
    }
  }
}

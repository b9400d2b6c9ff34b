import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@letstalk/log';
import { consumerDeadLetters, consumerHandled, consumerRedeliveries } from '@letstalk/metrics';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  contextFromBag,
  inSpan,
  isTracing,
  recordFailure,
  SpanKind,
  type Span,
} from '@letstalk/tracing';
import { ensureStreams, STREAM_CHANGE_TIMEOUT_MS, streamOf } from './connection.ts';
import { publishDeadLetter, REPLAY_FOR_HEADER } from './dead-letters.ts';
import { watchConsumer } from './consumer-backlog.ts';
import { drainFormer, ensureConsumer } from './durable-consumer.ts';
import { decodeEvent, everySubjectOf, type EventContract, type EventPayload } from './contract.ts';
import { isTransientError, redeliveryDelayMs, verdictOn, whileTransient } from './failures.ts';

/** Time a handler has before JetStream redelivers its event. */
const ACK_WAIT_MS = 30_000;
/** How often per ack wait a running handler's event is marked in progress (`working()`). */
const PROGRESS_SIGNALS_PER_ACK_WAIT = 3;
/** A transient failure is logged at its first attempt and then every this many (an outage would flood the log). */
const TRANSIENT_LOG_EVERY = 10;
/** Events handled at once by one consumer instance. */
const DEFAULT_CONCURRENCY = 8;
/**
 * How long each pull request lives before the client makes another (an idle consumer instance pulls once per this).
 * A consumer's waiting pulls die with the NATS node that leads it; the client notices when two idle heartbeats (half
 * of this each) have not come, then asks for the consumer's info, waiting this long between tries. At 30 s and then
 * 5 s, live fan-out waited up to 30 s and 14.6 s after such a node died (architecture.md, scaling).
 */
const PULL_EXPIRES_MS = 2_000;
/**
 * How long a consumer's requests after an interruption (its check after a reconnection, its info after missed
 * heartbeats) wait for JetStream before they are made again: one sent while a cluster elects the consumer's leader is
 * never answered, and at a start's 30 s (STREAM_CHANGE_TIMEOUT_MS) live delivery stood still for 31 s.
 */
const RECHECK_TIMEOUT_MS = 2_000;

const NANOS_PER_MS = 1_000_000;

export interface EventConsumer {
  stop: () => Promise<void>;
}

/** Stops several consumers (or other parts with a `stop`) at once; resolves when every one has drained. */
export async function stopConsumers(consumers: readonly EventConsumer[]): Promise<void> {
  await Promise.all(consumers.map((consumer) => consumer.stop()));
}

/** An event's place in its stream: the same on every redelivery, so work claimed under it survives a retry. */
export const eventIdOf = (message: JsMsg) => `${message.info.stream}:${message.info.streamSequence}`;

/**
 * Runs a durable pull consumer of one event subject: explicit ack after the handler's effect is durable,
 * `nak` with back-off on failure (for as long as it takes when the failure is transient), dead-letter (to
 * `dead.<subject>`) and `term` for a poison event, for one that does not match its contract, and after
 * `MAX_DELIVERIES` failures of any other kind (see verdictOn). Instances with the same `durable` share the work. The loop
 * re-creates its subscription after errors, so it survives NATS restarts; `stop()` drains in-flight work.
 */
export async function startEventConsumer<Contract extends EventContract>(options: {
  nc: NatsConnection;
  contract: Contract;
  durable: string;
  log: Logger;
  /** Its result is not used: it resolves when the event's effect is durable. */
  handle: (event: EventPayload<Contract>, message: JsMsg) => Promise<unknown>;
  concurrency?: number;
  /**
   * Events fetched ahead of the handler (default: `concurrency`). A serial consumer (`concurrency: 1`) that
   * keeps order still wants a batch on hand, or every event waits for a pull round trip of its own.
   */
  prefetch?: number;
  deliverPolicy?: DeliverPolicy;
  /** A new consumer starts at the events stored since then (instead of `deliverPolicy`). */
  startTime?: Date;
  /**
   * The subjects the consumer takes, within its contract's (see EventContract.subjectTokens): by default
   * every event of the contract.
   */
  filter?: string;
  /**
   * The consumer's name in an earlier release. When only that one exists, the new consumer starts right
   * after the events the old one had acknowledged, and the old one is deleted: renaming a durable neither
   * loses events nor handles them all again. When the old one's filter differs (the release changed the
   * subjects), what it still holds is handled through it first, then it is deleted (see drainFormer).
   */
  formerly?: string;
  /** Back-off before a retry; tests shorten it. */
  retryDelayMs?: (deliveryCount: number) => number;
  /** How long an event may go without an ack or a sign of progress before it is delivered again; tests shorten it. */
  ackWaitMs?: number;
}): Promise<EventConsumer> {
  const stream = streamOf(options.contract.subject);
  const jsm = await jetstreamManager(options.nc, { timeout: STREAM_CHANGE_TIMEOUT_MS });
  const recheck = await jetstreamManager(options.nc, { timeout: RECHECK_TIMEOUT_MS, checkAPI: false });
  const ackWaitMs = options.ackWaitMs ?? ACK_WAIT_MS;
  const config = {
    durable_name: options.durable,
    filter_subject: options.filter ?? everySubjectOf(options.contract),
    ack_policy: AckPolicy.Explicit,
    ack_wait: ackWaitMs * NANOS_PER_MS,
    // Unlimited: the consumer decides when to give up (verdictOn), not the server.
    max_deliver: -1,
    deliver_policy: options.deliverPolicy ?? DeliverPolicy.All,
    ...(options.startTime
      ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.startTime.toISOString() }
      : {}),
  };
  const { subject } = options.contract;
  if (config.filter_subject !== subject && !config.filter_subject.startsWith(`${subject}.`)) {
    throw new Error(`${options.durable}: ${config.filter_subject} is not a subject of ${options.contract.subject}`);
  }
  const formerToDrain = await whileTransient(() => ensureConsumer(jsm, stream, config, options.formerly));
  const js = jetstream(options.nc, { timeout: RECHECK_TIMEOUT_MS });
  const log = options.log.child({ consumer: options.durable });
  const inFlight = new Set<Promise<void>>();
  // Events whose handler runs now. A long job (a large animated image) tells the server it is still at it,
  // a few times per ack wait, or the event would be delivered again meanwhile; a dead process says nothing,
  // and its events go to another instance after the ack wait.
  const handling = new Set<JsMsg>();
  const progress = setInterval(() => {
    for (const message of handling) message.working();
  }, ackWaitMs / PROGRESS_SIGNALS_PER_ACK_WAIT);
  progress.unref();
  const stopWatching = watchConsumer(jsm, stream, options.durable);
  const durable = { durable: options.durable };
  // Present (at 0) from the start, so a first redelivery or dead letter shows as an increase.
  consumerRedeliveries.inc(durable, 0);
  consumerDeadLetters.inc(durable, 0);
  const handled = (outcome: 'acked' | 'retried' | 'dead_lettered', started: number) =>
    consumerHandled.observe({ durable: options.durable, outcome }, (performance.now() - started) / 1000);
  let stopped = false;
  let current: { stop: () => Promise<void> | void } | undefined;

  async function deadLetter(message: JsMsg, reason: string) {
    await publishDeadLetter(js, message, options.durable, reason);
    message.term(reason);
    consumerDeadLetters.inc(durable);
    log.error({ subject: message.subject, seq: message.seq, reason }, 'event dead-lettered');
  }

  /**
   * Handles one event; tracing on, inside a consumer span `process <subject>` that continues the trace of
   * the write that stored the event (its `traceparent` came in the message's headers, see publishRow).
   */
  function process(message: JsMsg): Promise<void> {
    if (!isTracing()) return handleMessage(message);
    const attributes = {
      [ATTR_MESSAGING_SYSTEM]: 'nats',
      [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
      [ATTR_MESSAGING_OPERATION_NAME]: 'process',
      [ATTR_MESSAGING_DESTINATION_NAME]: message.subject,
      [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: options.durable,
      'messaging.nats.delivery_count': message.info.deliveryCount,
    };
    return inSpan(
      `process ${message.subject}`,
      { kind: SpanKind.CONSUMER, parent: contextFromBag(message.headers), attributes },
      (span) => handleMessage(message, span),
    );
  }

  async function handleMessage(message: JsMsg, span?: Span) {
    const started = performance.now();
    const attempt = message.info.deliveryCount;
    // A dead letter replayed for another consumer: this one handled the original.
    const replayFor = message.headers?.get(REPLAY_FOR_HEADER);
    if (replayFor && replayFor !== options.durable) {
      message.ack();
      return;
    }
    if (attempt > 1) consumerRedeliveries.inc(durable);
    let event: EventPayload<Contract>;
    try {
      event = decodeEvent(options.contract, message.data);
    } catch (error) {
      await deadLetter(message, `invalid event: ${(error as Error).message}`);
      handled('dead_lettered', started);
      return;
    }
    try {
      handling.add(message);
      try {
        await options.handle(event, message);
      } finally {
        handling.delete(message);
      }
      message.ack();
      handled('acked', started);
    } catch (error) {
      if (span) recordFailure(span, error);
      if (verdictOn(error, attempt) === 'dead-letter') {
        await deadLetter(message, (error as Error).message);
        handled('dead_lettered', started);
      } else {
        const transient = isTransientError(error);
        if (!transient || attempt === 1 || attempt % TRANSIENT_LOG_EVERY === 0)
          log.warn({ err: error, attempt, transient }, 'event handler failed; will retry');
        message.nak((options.retryDelayMs ?? redeliveryDelayMs)(attempt));
        handled('retried', started);
      }
    }
  }

  let interrupted = false;
  const loop = (async () => {
    const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
    // A reconnection may be to a server that lost its state: the subscription is renewed at once, checking
    // first (below) that the stream and the durable exist.
    void (async () => {
      for await (const status of options.nc.status()) {
        // Ends at the first status after stop(), or when the connection closes.
        if (stopped) break;
        if (status.type !== 'reconnect') continue;
        interrupted = true;
        await current?.stop();
      }
    })().catch(() => undefined);
    while (!stopped) {
      try {
        // After an interruption the server may have lost its state (a NATS without its volume): the stream
        // and this durable are made again (both idempotent) before resubscribing.
        if (interrupted) {
          // The stream first only when the durable cannot be made without it (every consumer of a process
          // comes here after a reconnection; the process remakes the streams once itself).
          await ensureConsumer(recheck, stream, config).catch(async (error: unknown) => {
            // Unanswered (a cluster electing): the loop tries again in a second.
            if (isTransientError(error)) throw error;
            await ensureStreams(options.nc);
            await ensureConsumer(jsm, stream, config);
          });
          interrupted = false;
        }
        const consumer = await js.consumers.get(stream, options.durable);
        const messages = await consumer.consume({
          max_messages: Math.max(limit, options.prefetch ?? limit),
          expires: PULL_EXPIRES_MS,
          // Stream or durable gone (deleted, or a server that lost its state): end, and make them again.
          abort_on_missing_resource: true,
        });
        current = messages;
        for await (const message of messages) {
          const task = process(message).catch((error: unknown) => log.error({ err: error }, 'event processing failed'));
          inFlight.add(task);
          void task.finally(() => inFlight.delete(task));
          if (inFlight.size >= limit) await Promise.race(inFlight);
        }
      } catch (error) {
        interrupted = true;
        if (!stopped) log.warn({ err: error }, 'consumer interrupted; resubscribing');
      }
      if (!stopped) await new Promise((resume) => setTimeout(resume, 1_000));
    }
  })();

  const draining = formerToDrain
    ? drainFormer({
        jsm,
        js,
        stream,
        former: formerToDrain,
        batch: options.concurrency ?? DEFAULT_CONCURRENCY,
        process,
        stopped: () => stopped,
      }).then(
        (drained) => drained && log.info({ former: formerToDrain }, 'former consumer drained and deleted'),
        (error: unknown) =>
          // Deleted meanwhile by another instance that drained it, or NATS away: the next start looks again.
          log.warn({ err: error, former: formerToDrain }, 'former consumer not drained'),
      )
    : Promise.resolve();

  return {
    stop: async () => {
      stopped = true;
      await current?.stop();
      await draining;
      await loop;
      await Promise.all(inFlight);
      clearInterval(progress);
      stopWatching();
    },
  };
}

import type { MsgHdrs } from '@nats-io/transport-node';
import { LIVE_SUBJECT_TEMPLATE, type LiveEvent } from '@letstalk/events';
import {
  ATTR_GRAPHQL_OPERATION_TYPE,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  contextFromBag,
  contextWith,
  inSpan,
  isTracing,
  SpanKind,
  startSpan,
  type Context,
} from '@letstalk/tracing';

/*
 * The last hops of a trace (tracing on): a live event received from NATS is a consumer span that continues
 * the fan-out's `send live.user.{userId}`, and each frame written for it to a subscriber is a short span
 * under that one. Payloads are made (and shared) while the event is dispatched, inside its span, so the
 * planner's query and its subgraph fetches join the trace too. Tracing off, none of this runs.
 */

/** The context of each live event being delivered, for the frames written later (the event object is per message). */
const received = new WeakMap<LiveEvent, Context>();

/** Hands a received live event to its listeners inside a consumer span that continues the publisher's trace. */
export function receiveTraced(event: LiveEvent, headers: MsgHdrs | undefined, dispatch: () => void): void {
  const attributes = {
    [ATTR_MESSAGING_SYSTEM]: 'nats',
    [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
    [ATTR_MESSAGING_OPERATION_NAME]: 'process',
    [ATTR_MESSAGING_DESTINATION_TEMPLATE]: LIVE_SUBJECT_TEMPLATE,
    [ATTR_MESSAGING_MESSAGE_ID]: event.id,
    'letstalk.live.kind': event.kind,
  };
  inSpan(
    `process ${LIVE_SUBJECT_TEMPLATE}`,
    { kind: SpanKind.CONSUMER, parent: contextFromBag(headers), attributes },
    (span) => {
      received.set(event, contextWith(span));
      dispatch();
    },
  );
}

/** Records one frame of a live event written to a subscription's socket (`deliver <field>`). */
export function traceDelivery(event: LiveEvent, field: string): void {
  if (!isTracing()) return;
  const parent = received.get(event);
  if (!parent) return;
  startSpan(`deliver ${field}`, {
    kind: SpanKind.PRODUCER,
    parent,
    attributes: {
      [ATTR_GRAPHQL_OPERATION_TYPE]: 'subscription',
      'letstalk.subscription.field': field,
      [ATTR_MESSAGING_MESSAGE_ID]: event.id,
    },
  })?.end();
}

import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter } from '@opentelemetry/api';
import { isTracing, samplingRatio } from './switch.ts';

/*
 * How a trace crosses process boundaries: W3C `traceparent`/`tracestate` headers on HTTP requests and on
 * NATS messages (JetStream and core), and, between a write and the relay that publishes its event, the same
 * two values stored with the outbox row.
 */

/** Headers with `get` and `set`, as NATS messages have them (`get` answers '' for a missing header). */
export interface HeaderBag {
  get(name: string): string;
  set(name: string, value: string): void;
  keys(): string[];
}

const bagGetter: TextMapGetter<Pick<HeaderBag, 'get' | 'keys'>> = {
  get: (bag, key) => bag.get(key) || undefined,
  keys: (bag) => bag.keys(),
};

/** Writes the trace headers of `from` (by default the active context) into a NATS message's headers. */
export function injectInto<Bag extends Pick<HeaderBag, 'set'>>(bag: Bag, from: Context = context.active()): Bag {
  propagation.inject(from, bag, { set: (carrier, key, value) => carrier.set(key, value) });
  return bag;
}

/** The context a NATS message's trace headers continue (the root context when it has none). */
export function contextFromBag(bag: Pick<HeaderBag, 'get' | 'keys'> | undefined): Context {
  return bag ? propagation.extract(ROOT_CONTEXT, bag, bagGetter) : ROOT_CONTEXT;
}

/** The trace headers of `from` (by default the active context), to add to an outgoing HTTP request. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/**
 * The context an incoming HTTP request's `traceparent`/`tracestate` continue (the root context when none).
 * Its sampled flag is followed: from a client, pass the headers through {@link decideClientSampling} first.
 */
export const contextFromHttp = (headers: IncomingHttpHeaders): Context => propagation.extract(ROOT_CONTEXT, headers);

/** A W3C `traceparent`: version, trace id, parent span id, flags (a later version may add fields after them). */
const TRACEPARENT = /^\s*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-[^\s]*)?\s*$/;

/**
 * Makes the sampling decision of a request from a client ours: the `traceparent` keeps its trace id and
 * parent span id (the client's trace is continued), and its flags are replaced with a random draw that
 * records OTEL_TRACES_SAMPLER_ARG of them. Rewrites `headers` in place, before {@link contextFromHttp}
 * reads them; every process after follows the decision (it travels in the `traceparent` we send on). A
 * client's flag is not obeyed, nor is its trace id used to decide (a client choosing trace ids passes a
 * trace-id ratio check at any ratio). A `traceparent` that is not one is removed, so that no other reading
 * of it can bring the client's flag back. Tracing off: nothing to do.
 */
export function decideClientSampling(headers: IncomingHttpHeaders): void {
  if (!isTracing() || headers.traceparent === undefined) return;
  const value = headers.traceparent;
  const parsed = typeof value === 'string' ? TRACEPARENT.exec(value) : null;
  if (!parsed) {
    delete headers.traceparent;
    return;
  }
  const [, version, traceId, parentId, rest] = parsed;
  const flags = Math.random() < samplingRatio() ? '01' : '00';
  headers.traceparent = `${version}-${traceId}-${parentId}-${flags}${rest ?? ''}`;
}

/** Longest stored trace context; a longer `tracestate` is dropped (the `traceparent` alone still links). */
const MAX_STORED_CONTEXT = 1024;

/**
 * The active trace context as a short JSON text, to store beside work that another process picks up later
 * (an outbox row); null while tracing is off or outside any span.
 */
export function storedTraceContext(): string | null {
  if (!isTracing()) return null;
  const headers = traceHeaders();
  if (!headers.traceparent) return null;
  const text = JSON.stringify(headers);
  return text.length <= MAX_STORED_CONTEXT ? text : JSON.stringify({ traceparent: headers.traceparent });
}

/** The context stored by {@link storedTraceContext}; undefined for none or for text that is not one. */
export function contextFromStored(stored: string | null | undefined): Context | undefined {
  if (!stored) return undefined;
  try {
    const carrier = JSON.parse(stored) as unknown;
    if (typeof carrier !== 'object' || carrier === null) return undefined;
    return propagation.extract(ROOT_CONTEXT, carrier as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from './attributes.ts';
import { activeTracer, isTracing } from './switch.ts';

/** What a span helper is given while tracing is off: a span that records nothing (shared, never allocated). */
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; by default the active span (none: a new trace). */
  parent?: Context;
}

/** Marks a span failed with the error's class and message (never a stack: it may name files and values). */
export function recordFailure(span: Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  span.setAttribute(ATTR_ERROR_TYPE, failure.name || 'Error');
}

/**
 * Runs `fn` inside a new span, which is active meanwhile (spans started inside are its children) and ends
 * when `fn` returns or its promise settles; a throw or rejection marks it failed. Tracing off, `fn` just runs
 * (given a span that records nothing).
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  if (!isTracing()) return fn(NOT_RECORDING);
  const parent = options.parent ?? context.active();
  const span = activeTracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (error) {
    recordFailure(span, error);
    span.end();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordFailure(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/**
 * Starts a span that the caller ends (one that outlives a call: an HTTP request until its response is
 * sent); undefined while tracing is off. Make it active with {@link withSpan}.
 */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  if (!isTracing()) return undefined;
  return activeTracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent ?? context.active(),
  );
}

/** Runs `fn` with `span` active (its parent context kept); just runs it without a span. */
export function withSpan<T>(span: Span | undefined, fn: () => T, parent: Context = context.active()): T {
  return span ? context.with(trace.setSpan(parent, span), fn) : fn();
}

/** The context of `span` under `parent`, to hand to later work that should be its child. */
export const contextWith = (span: Span, parent: Context = context.active()): Context => trace.setSpan(parent, span);

/** The trace and span id of a span, as log lines carry them (`trace_id`, `span_id`). */
export function logFieldsOf(span: Span | undefined): { trace_id?: string; span_id?: string } {
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export { SpanKind, SpanStatusCode };
export type { Context, Span };

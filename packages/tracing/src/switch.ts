import type { Tracer } from '@opentelemetry/api';

/** LetsTalk's own tracer while tracing is on (Apollo gateway's spans come from its own). */
let tracer: Tracer | undefined;

/**
 * Whether this process records spans (a collector is configured and {@link startTracing} ran). Off, the
 * helpers of this package run the code they wrap and nothing else: hot paths check this first.
 */
export const isTracing = (): boolean => tracer !== undefined;

/** The tracer spans are made with; only called while tracing is on. */
export const activeTracer = (): Tracer => tracer!;

/**
 * Turns the helpers on with the registered provider's tracer, or off. Taken from the provider itself, not
 * through the API's proxy, which keeps the first provider it saw even after it was shut down.
 */
export function setTracer(value: Tracer | undefined): void {
  tracer = value;
}

import type { Tracer } from '@opentelemetry/api';

/** LetsTalk's own tracer while tracing is on (Apollo gateway's spans come from its own). */
let tracer: Tracer | undefined;
/** OTEL_TRACES_SAMPLER_ARG while tracing is on: the share of traces recorded. */
let ratio = 1;

/**
 * Whether this process records spans (a collector is configured and {@link startTracing} ran). Off, the
 * helpers of this package run the code they wrap and nothing else: hot paths check this first.
 */
export const isTracing = (): boolean => tracer !== undefined;

/** The tracer spans are made with; only called while tracing is on. */
export const activeTracer = (): Tracer => tracer!;

/** The share of traces recorded (OTEL_TRACES_SAMPLER_ARG); only read while tracing is on. */
export const samplingRatio = (): number => ratio;

/**
 * Turns the helpers on with the registered provider's tracer and the sampling ratio, or off. The tracer is
 * taken from the provider itself, not through the API's proxy, which keeps the first provider it saw even
 * after it was shut down.
 */
export function setTracer(value: Tracer | undefined, sampling = 1): void {
  tracer = value;
  ratio = sampling;
}

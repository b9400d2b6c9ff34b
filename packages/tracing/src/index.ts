import { context, propagation, trace } from '@opentelemetry/api';
import type { Logger } from '@letstalk/log';
import { isTracing, setTracer } from './switch.ts';
import type { TracingEnv } from './tracing-env.ts';

export * from './attributes.ts';
export * from './propagation.ts';
export * from './spans.ts';
export { isTracing };
export type { TracingEnv };

/** What {@link startTracing} gives back: `stop()` exports the spans still buffered, then turns tracing off. */
export interface Tracing {
  stop: () => Promise<void>;
}

/** Longest `stop()` waits for the collector to take the last spans. */
const FLUSH_TIMEOUT_MS = 5_000;

/**
 * Turns tracing on for this process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: loads the OpenTelemetry SDK
 * and registers it (see provider.ts). Unset, nothing is loaded or registered: the API's no-op tracer
 * stays, there is no exporter and no timer, and every helper of this package just runs what it wraps.
 * Call it first thing in a process, before any request is served. `log` (made only when tracing is on)
 * hears that it is on, and of exports that failed.
 */
export async function startTracing(service: string, env: TracingEnv, log?: () => Logger): Promise<Tracing> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return { stop: async () => undefined };
  if (isTracing()) throw new Error('Tracing is already on in this process.');
  const { registerProvider } = await import('./provider.ts');
  const logger = log?.();
  const provider = registerProvider(service, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, logger);
  // LetsTalk's own spans; Apollo gateway's (`gateway.request`, `gateway.fetch`, ...) come from its tracer.
  const ratio = env.OTEL_TRACES_SAMPLER_ARG ?? 1;
  setTracer(provider.getTracer('letstalk'), ratio);
  logger?.info({ endpoint, ratio }, 'tracing on: spans exported with OTLP/HTTP');
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        setTracer(undefined);
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref());
        await Promise.race([provider.shutdown().catch(() => undefined), timeout]);
        trace.disable();
        context.disable();
        propagation.disable();
      })()),
  };
}

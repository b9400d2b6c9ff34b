import { randomUUID } from 'node:crypto';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { parseKeyPairsIntoRecord, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_NAMESPACE } from '@opentelemetry/semantic-conventions';
import type { Logger } from '@letstalk/log';
import type { TracingEnv } from './tracing-env.ts';

/** `service.instance.id` (not yet a stable attribute): one per process, so two replicas' spans are told apart. */
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

/**
 * The OpenTelemetry SDK of one process, registered as the global tracer provider with the W3C trace-context
 * propagator and the AsyncLocalStorage context manager. Loaded (imported) only when tracing is on, so a
 * process without a collector never loads the SDK. Spans are batched and sent as OTLP/HTTP JSON to
 * `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`.
 */
export function registerProvider(
  service: string,
  env: TracingEnv & { OTEL_EXPORTER_OTLP_ENDPOINT: string },
  log?: Logger,
) {
  if (log) {
    // Export failures (collector down or refusing) reach the log, once per failed batch.
    diag.setLogger(
      {
        error: (message, ...args) => log.warn({ args }, `tracing: ${message}`),
        warn: (message, ...args) => log.warn({ args }, `tracing: ${message}`),
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
  }
  const ratio = new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? service,
      [ATTR_SERVICE_NAMESPACE]: 'letstalk',
      [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    }),
    // The decision is the trace id's in every process (the same ratio everywhere gives the same answer
    // along a trace); a parent from another process, a client's above all, does not choose for us: a
    // public endpoint must not let clients decide what is recorded. Local parents are followed.
    sampler: new ParentBasedSampler({ root: ratio, remoteParentSampled: ratio, remoteParentNotSampled: ratio }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({
          url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
          headers: parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_HEADERS),
        }),
        { scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY ?? 5_000 },
      ),
    ],
  });
  // Baggage is not propagated: what a client puts there is not ours to carry to every service.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return provider;
}

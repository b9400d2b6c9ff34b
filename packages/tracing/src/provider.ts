import { randomUUID } from 'node:crypto';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { parseKeyPairsIntoRecord, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
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
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? service,
      [ATTR_SERVICE_NAMESPACE]: 'letstalk',
      [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    }),
    // A trace is decided once, where it starts, and every span after follows its parent's sampled flag, in
    // this process and in the next (HTTP, NATS headers, outbox rows): a trace is recorded whole or not at
    // all. Only a root draws, by its trace id (one we made). A client's traceparent is a remote parent too,
    // and its flag is not the client's to set: the gateway replaces it with a random draw of its own before
    // the context is extracted (decideClientSampling, propagation.ts). A trace-id ratio there would not do:
    // a client choosing its trace ids passes that check at any ratio.
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG ?? 1),
      remoteParentSampled: new AlwaysOnSampler(),
      remoteParentNotSampled: new AlwaysOffSampler(),
      localParentSampled: new AlwaysOnSampler(),
      localParentNotSampled: new AlwaysOffSampler(),
    }),
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

import { trace } from '@opentelemetry/api';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCollector } from '@letstalk/testing';
import {
  contextFromBag,
  contextFromHttp,
  contextFromStored,
  decideClientSampling,
  injectInto,
  inSpan,
  isTracing,
  startTracing,
  storedTraceContext,
  traceHeaders,
  type Tracing,
  type TracingEnv,
} from './index.ts';

const env = (overrides: Partial<TracingEnv> = {}): TracingEnv => ({
  OTEL_TRACES_SAMPLER_ARG: 1,
  OTEL_BSP_SCHEDULE_DELAY: 5_000,
  ...overrides,
});

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

let running: Tracing | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('tracing without a collector', () => {
  it('registers nothing: no recording span, no trace header, no stored context, no timer', async () => {
    const before = timers();
    running = await startTracing('off', env());
    expect(isTracing()).toBe(false);
    expect(trace.getTracer('test').startSpan('any').isRecording()).toBe(false);
    const inside = inSpan('ignored', {}, (span) => ({
      recording: span.isRecording(),
      active: trace.getActiveSpan(),
      headers: traceHeaders(),
      stored: storedTraceContext(),
    }));
    expect(inside).toEqual({ recording: false, active: undefined, headers: {}, stored: null });
    // A client's traceparent is not even read: no propagator is registered.
    const clientContext = contextFromHttp({ traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` });
    expect(trace.getSpanContext(clientContext)).toBeUndefined();
    expect(timers()).toBe(before);
  });
});

describe('tracing with a collector', () => {
  it('carries one trace over HTTP headers, NATS headers and a stored outbox context, and exports it on stop', async () => {
    const collector = await startFakeCollector();
    try {
      running = await startTracing('tracing-test', env({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }));
      expect(isTracing()).toBe(true);

      const sent = inSpan('outer', {}, (span) => ({
        ids: span.spanContext(),
        http: traceHeaders(),
        nats: injectInto(natsHeaders()),
        stored: storedTraceContext(),
      }));
      const { traceId, spanId } = sent.ids;
      expect(sent.http).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      expect(sent.nats.get('traceparent')).toBe(`00-${traceId}-${spanId}-01`);

      for (const received of [contextFromHttp(sent.http), contextFromBag(sent.nats), contextFromStored(sent.stored)]) {
        expect(trace.getSpanContext(received!)).toMatchObject({ traceId, spanId, isRemote: true });
      }
      expect(contextFromStored('not json')).toBeUndefined();
      expect(contextFromStored(null)).toBeUndefined();
      expect(trace.getSpanContext(contextFromBag(natsHeaders()))).toBeUndefined();

      // A client that asks for no sampling (flags 00) is continued, and recorded all the same: its flag is
      // replaced with our own decision (ratio 1 here). An internal hop's flag 00 is followed.
      const clientSpan = 'cd'.repeat(8);
      const client = { traceparent: `00-${traceId}-${clientSpan}-00` };
      decideClientSampling(client);
      const continued = inSpan('continued', { parent: contextFromHttp(client) }, (span) => span.isRecording());
      expect(continued).toBe(true);
      const unsampledHop = contextFromHttp({ traceparent: `00-${traceId}-${clientSpan}-00` });
      expect(inSpan('not recorded', { parent: unsampledHop }, (span) => span.isRecording())).toBe(false);

      // Ended spans wait for the next export (5 s away); stopping exports them at once.
      await running.stop();
      expect(isTracing()).toBe(false);
      expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
      const spans = collector.spans();
      expect(spans).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ service: 'tracing-test', name: 'outer', traceId, spanId, parentSpanId: '' }),
          expect.objectContaining({ service: 'tracing-test', name: 'continued', traceId, parentSpanId: clientSpan }),
        ]),
      );
    } finally {
      await collector.close();
    }
  });

  it('names the service after OTEL_SERVICE_NAME and records no trace when the ratio is 0', async () => {
    const collector = await startFakeCollector();
    try {
      running = await startTracing(
        'ignored',
        env({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'renamed', OTEL_TRACES_SAMPLER_ARG: 0 }),
      );
      const recorded = inSpan('unsampled', {}, (span) => ({ recording: span.isRecording(), headers: traceHeaders() }));
      expect(recorded.recording).toBe(false);
      // Not recorded, but still passed on (flags 00), so every process decides alike.
      expect(recorded.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      await running.stop();
      expect(collector.spans()).toEqual([]);

      running = await startTracing(
        'ignored',
        env({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'renamed' }),
      );
      inSpan('sampled', {}, () => undefined);
      await running.stop();
      expect(collector.spans()).toEqual([expect.objectContaining({ service: 'renamed', name: 'sampled' })]);
    } finally {
      await collector.close();
    }
  });
});

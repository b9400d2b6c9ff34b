import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { trace } from '@opentelemetry/api';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCollector, type FakeCollector } from '@letstalk/testing';
import {
  contextFromBag,
  contextFromHttp,
  contextFromStored,
  decideClientSampling,
  injectInto,
  inSpan,
  startTracing,
  storedTraceContext,
  traceHeaders,
  type Tracing,
} from './index.ts';

/*
 * Who decides what is recorded. A trace-id ratio check (OpenTelemetry's TraceIdRatioBasedSampler) XORs the
 * four 32-bit parts of the trace id and compares the result with ratio × 2³²: a client choosing its trace ids
 * can pass it at any ratio. The gateway draws its own decision for a client's traceparent; every process
 * then follows the decision its parent carries.
 */

const RATIO = 0.001;
const part = () => randomBytes(4).readUInt32BE(0);
const hex = (value: number) => (value >>> 0).toString(16).padStart(8, '0');

/** A random trace id whose parts XOR to `accumulated` (0 passes a trace-id ratio check at any ratio > 0). */
function traceIdAccumulating(accumulated: number): string {
  const [a, b, c] = [part(), part(), part()];
  return `${hex(a)}${hex(b)}${hex(c)}${hex(a ^ b ^ c ^ accumulated)}`;
}
const passingRatio = () => traceIdAccumulating(0);
const failingRatio = () => traceIdAccumulating(0xffffffff);
const spanId = () => randomBytes(8).toString('hex');

/** Whether a span started under `parent` records (and its trace id). */
const recordedUnder = (parent: ReturnType<typeof contextFromHttp>) =>
  inSpan('hop', { parent }, (span) => ({ recorded: span.isRecording(), traceId: span.spanContext().traceId }));

let running: Tracing | undefined;
let collector: FakeCollector | undefined;
afterEach(async () => {
  await running?.stop();
  await collector?.close();
  running = undefined;
  collector = undefined;
});

async function tracingAt(ratio: number) {
  collector = await startFakeCollector();
  running = await startTracing('sampling-test', {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_TRACES_SAMPLER_ARG: ratio,
    OTEL_BSP_SCHEDULE_DELAY: 60_000,
  });
}

describe('sampling', () => {
  it('a client cannot force recording: its flag is replaced with our own draw, at the ratio', async () => {
    await tracingAt(RATIO);
    let recorded = 0;
    let followed = 0;
    for (let index = 0; index < 1000; index += 1) {
      const traceId = passingRatio();
      const headers: IncomingHttpHeaders = { traceparent: `00-${traceId}-${spanId()}-01`, tracestate: 'client=1' };
      decideClientSampling(headers);
      const gateway = inSpan('POST /graphql', { parent: contextFromHttp(headers) }, (span) => ({
        recorded: span.isRecording(),
        traceId: span.spanContext().traceId,
        next: traceHeaders(),
      }));
      // The client's trace is continued, whatever is decided.
      expect(gateway.traceId).toBe(traceId);
      if (gateway.recorded) recorded += 1;
      // The next hop (a subgraph) follows the gateway's decision, although the trace id passes the ratio.
      const subgraph = recordedUnder(contextFromHttp(gateway.next));
      expect(subgraph).toEqual({ recorded: gateway.recorded, traceId });
      if (subgraph.recorded === gateway.recorded) followed += 1;
    }
    expect(recorded).toBeLessThanOrEqual(10);
    expect(followed).toBe(1000);
  });

  it('at ratio 1 the client’s trace is recorded whatever its flag says; a malformed traceparent is removed', async () => {
    await tracingAt(1);
    for (const flags of ['00', '01']) {
      const traceId = failingRatio();
      const headers: IncomingHttpHeaders = { traceparent: `00-${traceId}-${spanId()}-${flags}` };
      decideClientSampling(headers);
      expect(headers.traceparent).toMatch(/-01$/);
      expect(recordedUnder(contextFromHttp(headers))).toEqual({ recorded: true, traceId });
    }
    // Whatever is not rewritten is removed: a reading more lenient than ours must not find the client's flag.
    for (const odd of ['not-a-traceparent', `00-${failingRatio()}-${spanId()}-01 `, ['a', 'b']]) {
      const headers: IncomingHttpHeaders = { traceparent: odd, tracestate: 'client=1' };
      decideClientSampling(headers);
      if (headers.traceparent === undefined) expect(headers).toEqual({ tracestate: 'client=1' });
      else expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
    const none: IncomingHttpHeaders = {};
    decideClientSampling(none);
    expect(none).toEqual({});
  });

  it('every hop follows the decision it is given (HTTP, NATS headers, outbox rows); the ratio decides roots only', async () => {
    await tracingAt(RATIO);
    // A sampled parent is followed although its trace id fails the ratio check.
    const sampled = trace.setSpanContext(contextFromHttp({}), {
      traceId: failingRatio(),
      spanId: spanId(),
      traceFlags: 1,
      isRemote: true,
    });
    const carried = inSpan('sampled', { parent: sampled }, (span) => {
      expect(span.isRecording()).toBe(true);
      return { http: traceHeaders(), nats: injectInto(natsHeaders()), stored: storedTraceContext() };
    });
    for (const parent of [
      contextFromHttp(carried.http),
      contextFromBag(carried.nats),
      contextFromStored(carried.stored),
    ]) {
      expect(recordedUnder(parent!).recorded).toBe(true);
    }
    // An unsampled parent is followed although its trace id passes the ratio check.
    const unsampled = contextFromHttp({ traceparent: `00-${passingRatio()}-${spanId()}-00` });
    const notCarried = inSpan('unsampled', { parent: unsampled }, (span) => {
      expect(span.isRecording()).toBe(false);
      return { http: traceHeaders(), nats: injectInto(natsHeaders()) };
    });
    expect(notCarried.http.traceparent).toMatch(/-00$/);
    for (const parent of [contextFromHttp(notCarried.http), contextFromBag(notCarried.nats)]) {
      expect(recordedUnder(parent).recorded).toBe(false);
    }
    // Roots: about RATIO of them.
    let roots = 0;
    for (let index = 0; index < 1000; index += 1) if (inSpan('root', {}, (span) => span.isRecording())) roots += 1;
    expect(roots).toBeLessThanOrEqual(10);
  });
});

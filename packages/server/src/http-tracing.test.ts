import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@letstalk/log';
import { startTracing, traceHeaders, type Tracing } from '@letstalk/tracing';
import { graphqlHttpHandler, isGraphqlRequest } from './http.ts';

/*
 * Who decides whether a request's trace is recorded: the gateway (a public endpoint) draws its own decision
 * for a client's traceparent; a subgraph (called by the gateway only) follows the decision it is given.
 */

const part = () => randomBytes(4).readUInt32BE(0);
const hex = (value: number) => (value >>> 0).toString(16).padStart(8, '0');
/** A trace id whose four 32-bit parts XOR to `accumulated`: 0 passes OpenTelemetry's trace-id ratio check at any ratio. */
function traceIdAccumulating(accumulated: number): string {
  const [a, b, c] = [part(), part(), part()];
  return `${hex(a)}${hex(b)}${hex(c)}${hex(a ^ b ^ c ^ accumulated)}`;
}
const traceparent = (traceId: string, flags: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;

/** Somewhere for the exporter to send spans (they are not looked at). */
async function sink(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A GraphQL endpoint served by graphqlHttpHandler with tracing on at `ratio`; `sampled` answers the
 * traceparent its request's span passes on (what the next hop is given).
 */
async function endpoint(ratio: number, callers?: 'public' | 'internal') {
  const collector = await sink();
  cleanups.push(collector.close);
  const tracing: Tracing = await startTracing('http-tracing-test', {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_TRACES_SAMPLER_ARG: ratio,
    OTEL_BSP_SCHEDULE_DELAY: 60_000,
  });
  cleanups.push(tracing.stop);
  const apollo = new ApolloServer({
    typeDefs: 'type Query { next: String }',
    resolvers: { Query: { next: () => traceHeaders().traceparent ?? null } },
  });
  await apollo.start();
  cleanups.push(() => apollo.stop());
  const handler = graphqlHttpHandler(apollo, {
    maxBodyBytes: 10_000,
    log: createLogger({ service: 'test', level: 'silent', pretty: false }),
    context: async () => ({}),
    ...(callers ? { callers } : {}),
  });
  const server = http.createServer((req, res) =>
    isGraphqlRequest(req) ? handler(req, res) : res.writeHead(404).end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  /** The traceparent the request's span passes on, for a request sent with `sent`. */
  return async (sent: string): Promise<string> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: sent },
      body: JSON.stringify({ query: '{ next }' }),
    });
    const body = (await response.json()) as { data: { next: string } };
    return body.data.next;
  };
}

describe('graphqlHttpHandler and a caller’s traceparent', () => {
  it('a public endpoint (the default) continues a client’s trace but decides itself: about 0.1% at ratio 0.001', async () => {
    const request = await endpoint(0.001);
    let recorded = 0;
    for (let batch = 0; batch < 50; batch += 1) {
      const passed = await Promise.all(
        Array.from({ length: 20 }, async () => {
          // Trace ids chosen to pass a trace-id ratio check, and the sampled flag set.
          const traceId = traceIdAccumulating(0);
          const next = await request(traceparent(traceId, '01'));
          expect(next.split('-')[1]).toBe(traceId);
          return next.endsWith('-01');
        }),
      );
      recorded += passed.filter(Boolean).length;
    }
    expect(recorded).toBeLessThanOrEqual(10);
  });

  it('an internal endpoint (a subgraph) follows the decision its caller carries', async () => {
    const request = await endpoint(0.001, 'internal');
    for (let index = 0; index < 20; index += 1) {
      // Sampled by the gateway although the trace id fails the ratio; not sampled although it passes.
      expect(await request(traceparent(traceIdAccumulating(0xffffffff), '01'))).toMatch(/-01$/);
      expect(await request(traceparent(traceIdAccumulating(0), '00'))).toMatch(/-00$/);
    }
  });
});

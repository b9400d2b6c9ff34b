import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, MessageAddedDocument, SendMessageDocument, StartDirectChatDocument } from '@letstalk/sdk';
import { freePort, runStack, type RunningStack } from '@letstalk/stack';
import { startFakeCollector, type CollectedSpan, type FakeCollector } from '@letstalk/testing';
import { collect, signUp, uniqueIp, uniqueName, untilLive } from './helpers.ts';

/*
 * A stack of its own, every process exporting to a collector on 127.0.0.1, with its own NATS server and
 * databases: the shared stack's processes do not trace, and would otherwise take part of the work (relay,
 * fan-out) of this one's message.
 */
let stack: RunningStack;
let collector: FakeCollector;

beforeAll(async () => {
  collector = await startFakeCollector();
  stack = await runStack({
    ...inject('stackEnv'),
    LOG_LEVEL: 'info',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'letstalk-tracing-')),
    NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    USER_DATABASE: 'letstalk_tracing_user',
    MESSAGE_DATABASE: 'letstalk_tracing_message',
    MEDIA_DATABASE: 'letstalk_tracing_media',
    PREVIEW_DATABASE: 'letstalk_tracing_preview',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
});

afterAll(async () => {
  await stack?.stop();
  await collector?.close();
});

/** The JSON lines one process of the stack wrote (`npm start` prefixes each with `[name]`). */
function linesOf(process: string): Record<string, unknown>[] {
  return stack
    .output()
    .split('\n')
    .filter((line) => line.includes(`[${process}]`) && line.includes('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

async function lineOf(process: string, matches: (line: Record<string, unknown>) => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = linesOf(process).find(matches);
    if (line) return line;
    if (Date.now() > deadline)
      throw new Error(`no ${what} in the ${process}'s output:\n${stack.output().slice(-3000)}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** The span's ancestors, nearest first, as `service: name`, up to the root or a parent not received. */
function ancestry(spans: CollectedSpan[], span: CollectedSpan): string[] {
  const byId = new Map(spans.map((each) => [each.spanId, each]));
  const names: string[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
    names.push(`${parent.service}: ${parent.name}`);
  }
  return names;
}

describe('tracing and access logs', () => {
  it('one sendMessage is one trace, continued from the client’s traceparent, from the gateway to the frame Bob receives', async () => {
    const url = stack.gatewayUrl;
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() }, url);
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() }, url);
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const added = collect(bob.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await untilLive(bob.client, alice, chat.id);

    // Alice's app traces too: its request carries a traceparent and a request id of its own.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const requestId = `trace-test-${randomUUID()}`;
    const tracedClient = createClient({
      url,
      accessToken: () => alice.accessToken,
      webSocketImpl: WebSocket,
      headers: {
        'x-forwarded-for': uniqueIp(),
        traceparent: `00-${traceId}-${clientSpanId}-01`,
        'x-request-id': requestId,
      },
    });
    const text = `Traced hello ${randomUUID()} https://example.com/${randomUUID()}`;
    await tracedClient.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), text },
    });
    await added.until(() => added.data().length === 1, 'the message');

    const spans = await collector.until(
      (received) =>
        received.some((span) => span.traceId === traceId && span.name === 'deliver messageAdded') &&
        received.some((span) => span.traceId === traceId && span.service === 'preview-worker'),
      'the delivery and the preview worker in the trace',
    );
    const trace = spans.filter((span) => span.traceId === traceId);
    const gatewayRequest = trace.find((span) => span.service === 'gateway' && span.kind === 2);
    expect(gatewayRequest).toMatchObject({
      name: 'POST /graphql',
      parentSpanId: clientSpanId,
      attributes: expect.objectContaining({
        'graphql.operation.name': 'SendMessage',
        'graphql.operation.type': 'mutation',
        'http.response.status_code': 200,
      }),
    });

    // The frame written to Bob's socket leads back, hop by hop, to Alice's request at the gateway.
    const delivery = trace.find((span) => span.name === 'deliver messageAdded')!;
    expect(delivery.service).toBe('gateway');
    const path = ancestry(trace, delivery);
    const hops = [
      'gateway: process live.user.{userId}',
      'message: send live.user.{userId}',
      'message: process message.created.link.no-image',
      'message: send message.created.link.no-image',
      'message: sendMessage transaction',
      'message: POST /graphql',
      'gateway: POST',
      'gateway: gateway.fetch',
      'gateway: POST /graphql',
    ];
    expect(path.filter((hop) => hops.includes(hop))).toEqual(hops);
    expect(path.at(-1)).toBe('gateway: POST /graphql');

    // The workers join the same trace: the preview worker's consumer is a child of the relay's publish.
    const previewJob = trace.find(
      (span) => span.service === 'preview-worker' && span.name === 'process message.created.link.no-image',
    );
    expect(ancestry(trace, previewJob!).slice(0, 1)).toEqual(['message: send message.created.link.no-image']);

    // One access line per request, in the gateway and in the subgraph, with the client's request id and trace.
    const access = (line: Record<string, unknown>) => line.msg === 'graphql request' && line.reqId === requestId;
    expect(await lineOf('gateway', access, 'access line')).toMatchObject({
      level: 30,
      trace_id: traceId,
      operation: 'SendMessage',
      operationType: 'mutation',
      status: 200,
      outcome: 'ok',
      durationMs: expect.any(Number),
    });
    // The subgraph sees the operation as the gateway's planner named its fetch.
    expect(await lineOf('message', access, 'access line')).toMatchObject({
      trace_id: traceId,
      operation: expect.stringMatching(/^SendMessage__message__\d+$/),
      status: 200,
      outcome: 'ok',
    });
    // A worker's job line written inside the trace carries its ids (the logger's mixin).
    expect(
      await lineOf('preview-worker', (line) => line.msg === 'preview fetch' && line.trace_id === traceId, 'fetch line'),
    ).toMatchObject({ messageId: expect.stringContaining(chat.id), outcome: 'failed', durationMs: expect.any(Number) });

    // Never a token or a message's text in any process's log.
    expect(stack.output()).not.toContain(alice.accessToken);
    expect(stack.output()).not.toContain(text.split(' ')[2]);
    expect(stack.output()).not.toContain(text.split(' ')[3]);

    await added.stop();
    await Promise.all([alice.client.dispose(), bob.client.dispose(), tracedClient.dispose()]);
  });
});

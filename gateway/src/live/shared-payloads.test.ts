import { randomUUID } from 'node:crypto';
import { buildSchema, parse } from 'graphql';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { requireServices } from '@letstalk/testing';
import type { GatewayContext } from '../context.ts';
import { LiveHub } from './hub.ts';
import { SharedPayloads } from './shared-payloads.ts';
import { subscribeLive, type LiveOptions } from './subscriptions.ts';
import { SocketOutput } from './socket-output.ts';

const schema = buildSchema(`
  type Query { user(id: ID!): User }
  type Subscription { typing(chatId: ID): TypingEvent! }
  type User { id: ID! }
  type TypingEvent { chatId: ID!, expiresAt: String!, user: User! }
`);

describe('SharedPayloads keeps an operation only while a subscription uses it', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    await requireServices();
    nc = await connectNats('nats://127.0.0.1:4222', 'shared-payloads-test');
  });
  afterAll(() => nc.close());

  it('holds nothing after 10,000 distinct subscriptions came and went, and shares one key between equal ones', async () => {
    const shared = new SharedPayloads();
    const log = createLogger({ service: 'test', level: 'silent', pretty: false });
    const options: LiveOptions = {
      hub: new LiveHub(nc, log),
      operationName: 'Internal',
      shared,
      maxReplayMessages: 1000,
      sink: (context) => new SocketOutput(context.socket, context.operationId),
      run: async () => ({ data: null }),
      log,
    };
    const context = {
      viewer: { userId: randomUUID() },
      requestId: 'r',
      clientIp: '127.0.0.1',
      log,
    } as unknown as GatewayContext;
    const subscribe = (query: string, variables: Record<string, unknown> = {}) =>
      subscribeLive({ schema, document: parse(query), variableValues: variables, contextValue: context }, options);

    for (let index = 0; index < 10_000; index += 1) {
      // Distinct documents and distinct variable values, as a hostile client would send them.
      const live = subscribe(`subscription($c: ID) { typing(chatId: $c) { chatId a${index}: expiresAt } }`, {
        c: `chat-${index}`,
      });
      await live.return!();
    }
    expect(shared.operationCount).toBe(0);

    const first = shared.acquire(parse('subscription { typing { chatId } }'), undefined, {});
    const second = shared.acquire(parse('subscription { typing { chatId } }'), undefined, {});
    expect(second.key).toBe(first.key);
    expect(shared.operationCount).toBe(1);
    first.release();
    first.release();
    expect(shared.operationCount).toBe(1);
    second.release();
    expect(shared.operationCount).toBe(0);
    // A key is never given to another operation, even after its own ended.
    expect(shared.acquire(parse('subscription { typing { chatId } }'), undefined, {}).key).not.toBe(first.key);
  }, 60_000);
});

import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { StartDirectChatDocument } from '@letstalk/sdk';
import { MAX_NESTED_PAGE_SIZE } from '../src/operation-cost.ts';
import { MAX_ALIASES, MAX_QUERY_DEPTH, MAX_QUERY_TOKENS } from '../src/operation-limits.ts';
import { signUp, textOf, uniqueName, WAIT_MS, type Person } from './helpers.ts';

type Answer = { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown };

async function post(
  person: Person,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: Answer }> {
  const response = await fetch(inject('gatewayUrl'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${person.accessToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

/** Subscribes over a raw graphql-ws socket and returns the first answer: the `error` message's payload, or `next`. */
async function subscribeOnce(
  person: Person,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ type: string; payload: unknown }> {
  const socket = new WebSocket(inject('gatewayUrl').replace(/^http/, 'ws'), 'graphql-transport-ws');
  try {
    await new Promise((open, fail) => socket.once('open', open).once('error', fail));
    const answer = new Promise<{ type: string; payload: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${query.slice(0, 80)}`)), WAIT_MS);
      socket.on('message', (data) => {
        const message = JSON.parse(textOf(data)) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack')
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        if (message.type === 'error' || message.type === 'next') {
          clearTimeout(timer);
          resolve({ type: message.type, payload: message.payload });
        }
      });
      socket.once('close', (code) => reject(new Error(`closed with ${code}`)));
    });
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${person.accessToken}` } }),
    );
    return await answer;
  } finally {
    socket.close();
  }
}

const codes = (errors: unknown) =>
  (errors as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code);
const messages = (errors: unknown) => (errors as { message: string }[]).map((error) => error.message).join('\n');

const nested = (first: string) =>
  `chats(first: ${first}) { edges { node { messages(first: ${first}) { edges { node { chat { messages(first: ${first}) { edges { node { id text } } } } } } } } } }`;

describe('operation limits hold whichever way an operation is written', () => {
  it('costs first/last by their values: a variable is no cheaper than the literal', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const literal = await post(alice, `{ ${nested('50')} }`);
    const variable = await post(alice, `query($n: Int) { ${nested('$n')} }`, { n: 50 });
    const defaulted = await post(alice, `query($n: Int = 50) { ${nested('$n')} }`);
    for (const answer of [literal, variable, defaulted]) {
      expect(answer.status).toBe(400);
      expect(codes(answer.body.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(answer.body.data).toBeUndefined();
    }
    // The same shape with small pages is a screenful, and runs.
    const small = await post(alice, `query($n: Int) { ${nested('$n')} }`, { n: 3 });
    expect([small.status, small.body.errors]).toEqual([200, undefined]);
    await alice.client.dispose();
  });

  it(`pages a list inside a list at most ${MAX_NESTED_PAGE_SIZE} at a time`, async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const query =
      'query($n: Int) { chats(first: 5) { edges { node { messages(first: $n) { edges { node { id } } } } } } }';
    const over = await post(alice, query, { n: MAX_NESTED_PAGE_SIZE + 1 });
    expect(codes(over.body.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(messages(over.body.errors)).toMatch(/Chat\.messages/);
    const within = await post(alice, query, { n: MAX_NESTED_PAGE_SIZE });
    expect(within.body.errors).toBeUndefined();
    // One chat's own history pages up to the messages limit as before.
    const bob = await signUp({ firstName: 'Bob', lastName: uniqueName() });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const page = await post(
      alice,
      'query($id: ID!, $n: Int) { messages(chatId: $id, last: $n) { edges { node { id } } } }',
      { id: chat.id, n: 100 },
    );
    expect(page.body.errors).toBeUndefined();
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  });

  it('applies depth, alias, token and cost limits to subscriptions over graphql-ws', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const deep = `subscription { messageAdded { ${'chat { lastMessage { '.repeat(MAX_QUERY_DEPTH)}id${' } }'.repeat(MAX_QUERY_DEPTH)} } }`;
    const aliases = `subscription { messageAdded { ${Array.from({ length: MAX_ALIASES + 1 }, (_, index) => `a${index}: id`).join(' ')} } }`;
    const tokens = `subscription { messageAdded { ${'id '.repeat(MAX_QUERY_TOKENS)}} }`;
    // Every message of a page of 100 with its chat's 256 members: the cost of 25,600 people per event.
    const costly =
      'subscription($n: Int) { messageAdded { chat { messages(first: $n) { edges { node { chat { members { user { id } } } } } } } } }';
    const refused = [
      ['depth', await subscribeOnce(alice, deep), 'GRAPHQL_VALIDATION_FAILED', /depth/i],
      ['aliases', await subscribeOnce(alice, aliases), 'GRAPHQL_VALIDATION_FAILED', /alias/i],
      ['tokens', await subscribeOnce(alice, tokens), 'GRAPHQL_PARSE_FAILED', /token/i],
      ['cost', await subscribeOnce(alice, costly, { n: 100 }), 'GRAPHQL_VALIDATION_FAILED', /cost/i],
    ] as const;
    for (const [limit, answer, code, message] of refused) {
      expect({ limit, type: answer.type, codes: codes(answer.payload) }).toEqual({
        limit,
        type: 'error',
        codes: [code],
      });
      expect(messages(answer.payload)).toMatch(message);
    }
    await alice.client.dispose();
  });

  it('coerces a subscription’s variables and hides field suggestions over graphql-ws as over HTTP', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const wrongType = await subscribeOnce(alice, 'subscription($chatId: ID) { messageAdded(chatId: $chatId) { id } }', {
      chatId: { not: 'an id' },
    });
    expect([wrongType.type, codes(wrongType.payload)]).toEqual(['error', ['BAD_USER_INPUT']]);
    const typo = await subscribeOnce(alice, 'subscription { messageAdded { tex } }');
    expect([typo.type, codes(typo.payload)]).toEqual(['error', ['GRAPHQL_VALIDATION_FAILED']]);
    expect(messages(typo.payload)).not.toMatch(/Did you mean/);
    await alice.client.dispose();
  });
});

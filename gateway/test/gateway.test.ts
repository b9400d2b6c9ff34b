import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient as createWsClient } from 'graphql-ws';
import { MeDocument } from '@letstalk/sdk';
import { MAX_ALIASES, MAX_QUERY_DEPTH, MAX_QUERY_TOKENS } from '../src/operation-limits.ts';
import { MAX_REQUEST_BODY_BYTES } from '../src/server.ts';
import { signUp } from './helpers.ts';

const gatewayUrl = () => inject('gatewayUrl');
const origin = () => gatewayUrl().replace(/\/graphql$/, '');

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(gatewayUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('the gateway', () => {
  it('answers /healthz and /readyz with every subgraph ready', async () => {
    expect((await fetch(`${origin()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${origin()}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, boolean> }).checks).toEqual({
      user: true,
      message: true,
      media: true,
      preview: true,
      nats: true,
    });
  });

  it('serves a self-contained GraphiQL (no external asset), compressed, with an ETag', async () => {
    const response = await fetch(gatewayUrl(), { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const html = await response.text();
    expect(html).toContain('graphiql');
    const external = [
      ...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"' >]+)/gi),
    ];
    expect(external.map((match) => match[1])).toEqual([]);
    expect(html).not.toMatch(/@import\s+url\(\s*["']?https?:/i);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(gatewayUrl(), { headers: { accept: 'text/html', 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('keeps introspection and field suggestions off outside development', async () => {
    const introspection = await post({ query: '{ __schema { types { name } } }' });
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await post({ query: '{ mee { id } }' });
    expect(typo.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
  });

  it('limits depth, aliases and batches', async () => {
    const tooDeep = `{ ${'a { '.repeat(MAX_QUERY_DEPTH + 2)}b${' }'.repeat(MAX_QUERY_DEPTH + 2)} }`;
    const depth = await post({ query: tooDeep });
    expect(depth.body.errors?.map((error: { message: string }) => error.message).join('\n')).toMatch(/depth/i);
    // Fragments do not add depth, and do not hide it either.
    const deepThroughFragments = `{ ...Outer } fragment Outer on Query { a { ...Inner } } fragment Inner on A { ${'a { '.repeat(MAX_QUERY_DEPTH + 1)}b${' }'.repeat(MAX_QUERY_DEPTH + 1)} }`;
    const fragments = await post({ query: deepThroughFragments });
    expect(fragments.body.errors?.map((error: { message: string }) => error.message).join('\n')).toMatch(/depth/i);
    const aliases = `{ ${Array.from({ length: MAX_ALIASES + 1 }, (_, index) => `a${index}: me { id }`).join(' ')} }`;
    const aliased = await post({ query: aliases });
    expect(aliased.body.errors?.map((error: { message: string }) => error.message).join('\n')).toMatch(/alias/i);
    const tokens = await post({ query: `{ ${'__typename '.repeat(MAX_QUERY_TOKENS)}}` });
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors?.[0]?.message).toMatch(/token/i);
    const batch = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batch.status).toBe(400);
    const oversize = await post({
      query: '{ __typename }',
      variables: { padding: 'x'.repeat(MAX_REQUEST_BODY_BYTES) },
    });
    expect(oversize.status).toBe(413);
    expect(oversize.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers cross-origin preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(gatewayUrl(), {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('http://app.localhost');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.localhost');
    const other = await preflight('http://evil.localhost');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('carries a request id and never answers with a stack trace', async () => {
    const response = await post({ query: '{ __typename }' }, { 'x-request-id': 'trace-me-123' });
    expect(response.headers.get('x-request-id')).toBe('trace-me-123');
    const broken = await post({ query: '{ me { id }' });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('accepts graphql-ws connections with a valid token and runs operations through the planner', async () => {
    const alice = await signUp({ firstName: 'Wes', lastName: 'Socket' });
    const results = [];
    for await (const result of alice.client.subscribe(MeDocument)) results.push(result);
    await alice.client.dispose();
    expect(results).toEqual([
      { data: { me: expect.objectContaining({ id: alice.userId, displayName: 'Wes Socket' }) } },
    ]);
  });

  it('closes a graphql-ws connection whose token is missing or invalid with 4403', async () => {
    for (const connectionParams of [{}, { authorization: 'Bearer not-a-token' }]) {
      const closed = new Promise<number>((resolve) => {
        const client = createWsClient({
          url: gatewayUrl().replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams,
          on: { closed: (event) => resolve((event as { code: number }).code) },
        });
        client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: () => {}, complete: () => {} });
      });
      expect(await closed).toBe(4403);
    }
  });
});

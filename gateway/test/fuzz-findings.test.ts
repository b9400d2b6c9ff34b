import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { signUp, textOf, uniqueIp } from './helpers.ts';

/**
 * What the fuzz pass found (issue 16), each as the request that showed it. Before, every one of them was
 * answered as a server fault: HTTP 500 or INTERNAL_SERVER_ERROR, or a graphql-ws close 4500.
 */
async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(inject('gatewayUrl'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': uniqueIp(), ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

const codes = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  body.errors?.map((error) => error.extensions?.code);

/** Opens a signed-in graphql-ws connection, sends `frames` after the ack, and resolves with what came back. */
async function afterAck(token: string, frames: unknown[]): Promise<{ received: string[]; close?: number }> {
  const socket = new WebSocket(inject('gatewayUrl').replace(/^http/, 'ws'), 'graphql-transport-ws', {
    headers: { 'x-forwarded-for': uniqueIp() },
  });
  const received: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      resolve({ received });
    }, 2_000);
    socket.on('error', reject);
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      received.push(textOf(data));
      if (received.length === 1) for (const frame of frames) socket.send(JSON.stringify(frame));
    });
    socket.on('close', (close) => {
      clearTimeout(timer);
      resolve({ received, close });
    });
  });
}

describe('requests the fuzz pass found answered as server faults', () => {
  it('a subscription over HTTP is the client’s mistake (400 BAD_USER_INPUT), even one graphql-js cannot validate', async () => {
    for (const query of ['subscription { typing { chatId } }', 'subscription { chatUpdated @include { chatId } }']) {
      const answer = await post({ query });
      expect(answer.status, query).toBe(400);
      expect(codes(answer.body), query).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('an operationName that names no operation, or none for several, is OPERATION_RESOLUTION_FAILURE (400)', async () => {
    for (const body of [
      { query: 'query A { signInMethods { facebook } }', operationName: 'Other' },
      { query: 'query A { __typename } query B { __typename }' },
    ]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(codes(answer.body)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    }
  });

  it('a persisted-query extension Apollo cannot use is BAD_USER_INPUT, not an internal error', async () => {
    const answer = await post({ query: '{ __typename }', extensions: { persistedQuery: { version: 2 } } });
    expect(answer.status).toBe(400);
    expect(codes(answer.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('an Upload that is no file (JSON, or over graphql-ws) is refused with the media subgraph’s code', async () => {
    const person = await signUp();
    const query = 'mutation ($f: Upload!) { uploadImage(file: $f) { id } }';
    const answer = await post({ query, variables: { f: 'file' } }, { authorization: `Bearer ${person.accessToken}` });
    expect(codes(answer.body)).toEqual(['BAD_USER_INPUT']);
    const live = await afterAck(person.accessToken, [
      { type: 'subscribe', id: '1', payload: { query, variables: { f: 'x' } } },
    ]);
    expect(live.received.join('\n')).toContain('"BAD_USER_INPUT"');
    expect(live.received.join('\n')).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('over graphql-ws, a message only servers send closes with 4400, and an unvalidatable subscription is an error', async () => {
    const person = await signUp();
    for (const frame of [{ type: 'connection_ack' }, { type: 'next', id: '1', payload: {} }]) {
      expect((await afterAck(person.accessToken, [frame])).close, JSON.stringify(frame)).toBe(4400);
    }
    const invalid = await afterAck(person.accessToken, [
      { type: 'subscribe', id: '1', payload: { query: 'subscription { typing @include { chatId } }' } },
    ]);
    expect(invalid.close).toBeUndefined();
    expect(invalid.received.join('\n')).toContain('"GRAPHQL_VALIDATION_FAILED"');
  });
});

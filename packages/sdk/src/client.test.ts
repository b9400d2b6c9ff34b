import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, LetsTalkError } from './client.ts';

let server: http.Server;
let url: string;
let last: { headers: http.IncomingHttpHeaders; body: string };
let reply: { status: number; body: unknown } = { status: 200, body: { data: { ok: true } } };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      last = { headers: req.headers, body };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const Upload = parse(
  'mutation($file: Upload!, $purpose: String) { upload(file: $file, purpose: $purpose) }',
) as TypedDocumentNode<{ upload: boolean }, { file: Blob; purpose?: string }>;

describe('the SDK client', () => {
  it('sends the token and JSON for queries', async () => {
    reply = { status: 200, body: { data: { ok: true } } };
    const client = createClient({ url, accessToken: () => 'tok' });
    expect(await client.request(parse('{ ok }') as TypedDocumentNode<{ ok: boolean }, Record<string, never>>)).toEqual({
      ok: true,
    });
    expect(last.headers.authorization).toBe('Bearer tok');
    expect(JSON.parse(last.body)).toMatchObject({ query: expect.stringContaining('ok'), variables: {} });
  });

  it('sends files as a GraphQL multipart request with the CSRF preflight header', async () => {
    reply = { status: 200, body: { data: { upload: true } } };
    const client = createClient({ url });
    const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 0x00])], 'photo.jpg', { type: 'image/jpeg' });
    await client.upload(Upload, { file, purpose: 'MESSAGE' });
    expect(last.headers['apollo-require-preflight']).toBe('true');
    expect(last.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = last.body.split(/--[-\w]+\r?\n?/).filter((part) => part.includes('name='));
    const names = parts.map((part) => /name="([^"]+)"/.exec(part)?.[1]);
    expect(names).toEqual(['operations', 'map', '0']);
    const operations = JSON.parse(parts[0]!.split('\r\n\r\n')[1]!.trim()) as { variables: unknown };
    expect(operations.variables).toEqual({ file: null, purpose: 'MESSAGE' });
    expect(JSON.parse(parts[1]!.split('\r\n\r\n')[1]!.trim())).toEqual({ 0: ['variables.file'] });
    expect(parts[2]).toContain('filename="photo.jpg"');
    expect(parts[2]).toContain('\xff\xd8\xff');
  });

  it('throws LetsTalkError with the code of the first error', async () => {
    reply = { status: 401, body: { errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] } };
    const error = await createClient({ url })
      .request(parse('{ ok }') as TypedDocumentNode<{ ok: boolean }, Record<string, never>>)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LetsTalkError);
    expect((error as LetsTalkError).code).toBe('UNAUTHENTICATED');
    expect((error as LetsTalkError).status).toBe(401);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@letstalk/log';
import { GraphQLUpload } from 'graphql-upload-minimal';
import { graphqlHttpHandler, isGraphqlRequest } from './http.ts';
import { openUpload, type FileUpload } from './upload.ts';

const MAX_BODY_BYTES = 2_000;
const MAX_FILE_BYTES = 1_000;

describe('graphqlHttpHandler', () => {
  let url = '';
  let httpServer: http.Server;
  let apollo: ApolloServer<{ caller: string }>;

  beforeAll(async () => {
    apollo = new ApolloServer<{ caller: string }>({
      typeDefs:
        'scalar Upload type Query { echo(text: String!): String!, caller: String! } type Mutation { upload(file: Upload!): String! }',
      resolvers: {
        Upload: GraphQLUpload,
        Query: {
          echo: (_: unknown, { text }: { text: string }) => text,
          caller: (_p: unknown, _a: unknown, context: { caller: string }) => context.caller,
        },
        Mutation: {
          upload: async (_: unknown, { file }: { file: Promise<FileUpload> }) => {
            const { filename, stream } = await openUpload(file, MAX_FILE_BYTES);
            let bytes = 0;
            for await (const chunk of stream) bytes += (chunk as Buffer).length;
            return `${filename} ${bytes}`;
          },
        },
      },
    });
    await apollo.start();
    const handler = graphqlHttpHandler(apollo, {
      maxBodyBytes: MAX_BODY_BYTES,
      log: createLogger({ service: 'test', level: 'silent', pretty: false }),
      context: async (req) => ({ caller: String(req.headers['x-caller'] ?? 'nobody') }),
      uploads: { maxFileBytes: MAX_FILE_BYTES, maxFiles: 1 },
    });
    httpServer = http.createServer((req, res) =>
      isGraphqlRequest(req) ? handler(req, res) : res.writeHead(404).end(),
    );
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await apollo.stop();
    await new Promise((resolve) => httpServer.close(resolve));
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('runs a POSTed operation with the context built from the request', async () => {
    const response = await post(JSON.stringify({ query: '{ caller echo(text: "hi") }' }), { 'x-caller': 'alice' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { caller: 'alice', echo: 'hi' } });
  });

  it('runs a GET query from the query string (with the CSRF header Apollo asks for)', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ echo(text: "get") }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { echo: 'get' } });
  });

  it('answers a body over the limit with 413 and PAYLOAD_TOO_LARGE', async () => {
    const response = await post(JSON.stringify({ query: `{ echo(text: "${'x'.repeat(MAX_BODY_BYTES)}") }` }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('answers a body that is not JSON with 400 and BAD_USER_INPUT, without a stack trace', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(body).not.toMatch(/at .*\.js/);
  });

  /** A GraphQL multipart request (the spec's operations, map and files) for `upload(file:)`. */
  const upload = (files: Buffer[], headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ query: 'mutation($file: Upload!) { upload(file: $file) }', variables: { file: null } }),
    );
    form.append(
      'map',
      JSON.stringify(Object.fromEntries(files.map((_, index) => [String(index), ['variables.file']]))),
    );
    files.forEach((bytes, index) => form.append(String(index), new Blob([bytes]), `file${index}.bin`));
    return fetch(url, { method: 'POST', headers, body: form });
  };

  it('takes a file of up to the limit in a GraphQL multipart request; one byte more is PAYLOAD_TOO_LARGE', async () => {
    const fits = await upload([Buffer.alloc(MAX_FILE_BYTES, 1)]);
    expect(await fits.json()).toEqual({ data: { upload: `file0.bin ${MAX_FILE_BYTES}` } });
    for (const size of [MAX_FILE_BYTES + 1, 50 * MAX_FILE_BYTES]) {
      const large = await upload([Buffer.alloc(size, 1)]);
      expect(await large.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    }
  });

  it('refuses a multipart request without a preflight header (CSRF), and more files than allowed', async () => {
    const simple = await upload([Buffer.alloc(10)], {});
    expect(simple.status).toBe(400);
    expect(JSON.stringify(await simple.json())).toMatch(/preflight/i);
    const two = await upload([Buffer.alloc(10), Buffer.alloc(10)]);
    expect(two.status).toBe(413);
    expect(await two.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('matches the GraphQL path only', () => {
    const at = (url: string) => isGraphqlRequest({ url } as http.IncomingMessage);
    expect([at('/graphql'), at('/graphql?query=x'), at('/graphqlx'), at('/healthz')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

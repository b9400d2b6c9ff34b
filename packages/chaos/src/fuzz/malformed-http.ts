import fc from 'fast-check';
import type { Auth, FuzzCase, MultipartPart } from './types.ts';
import type { OperationGenerator } from './operations.ts';
import { oddString, type Pools } from './values.ts';

const json = (value: unknown) => JSON.stringify(value);
const ME = '{ me { id } }';

/** JSON bodies that are not a GraphQL request, or not JSON at all. */
const badBodies: string[] = [
  '',
  '{',
  '{"query":',
  'null',
  '0',
  '"query"',
  'true',
  '[]',
  json([{ query: ME }, { query: ME }]),
  json({ query: 1 }),
  json({ query: null }),
  json({ query: [ME] }),
  json({ query: { kind: 'Document', definitions: [] } }),
  json({ query: ME, variables: 'x' }),
  json({ query: ME, variables: '{"a":1}' }),
  json({ query: ME, variables: [] }),
  json({ query: ME, variables: null }),
  json({ query: ME, operationName: 5 }),
  json({ query: ME, operationName: {} }),
  json({ query: ME, extensions: 'x' }),
  json({ query: ME, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }),
  json({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
  json({ query: ME, extensions: { persistedQuery: { version: 2 } } }),
  json({ query: ME, __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
  '{"query":"{ me { id } }","query":"{ __typename }"}',
  '{"query":"{ me { id } }","variables":{"__proto__":{"x":1}}}',
  '\ufeff{"query":"{ __typename }"}',
  '{"query":"{ __typename }"} trailing',
  '{"query":"{ __typename }",}',
  "{'query':'{ __typename }'}",
  '{"query":"{ chats(first: 1e400) { pageInfo { hasNextPage } } }"}',
  '{"query":"query($n:Int){ chats(first:$n){ pageInfo{ hasNextPage } } }","variables":{"n":1e400}}',
  '{"query":"query($n:Int){ chats(first:$n){ pageInfo{ hasNextPage } } }","variables":{"n":NaN}}',
  '{"query":"query($n:Int){ chats(first:$n){ pageInfo{ hasNextPage } } }","variables":{"n":-0}}',
  '{"query":"\\ud800"}',
  '{"query":"{ user(id: \\"\\u0000\\") { id } }"}',
  '{"query":"\u0000"}',
  '\u0000\u0000\u0000',
  '['.repeat(100_000),
  '{"a":'.repeat(50_000),
  `{"query":"{ __typename }","variables":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  `{"query":"{ __typename }","pad":"${'x'.repeat(1_000_100)}"}`,
];

const contentTypes = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/graphql',
  'application/graphql-response+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json, text/plain',
  'APPLICATION/JSON',
  null,
];

/** A request body: broken JSON, JSON of the wrong shape, or a generated operation with odd headers. */
export function httpBodyCase(generator: OperationGenerator, auth: fc.Arbitrary<Auth>): fc.Arbitrary<FuzzCase> {
  const body = fc.oneof(
    { arbitrary: fc.constantFrom(...badBodies), weight: 6 },
    { arbitrary: generator.operation({ withoutSignOut: true }).map((op) => json(op.request)), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => json(value)), weight: 1 },
    { arbitrary: oddString, weight: 1 },
  );
  const headers = fc.oneof(
    { arbitrary: fc.constant({}), weight: 6 },
    {
      arbitrary: fc.constantFrom<Record<string, string>>(
        { 'content-encoding': 'gzip' },
        { 'content-encoding': 'deflate' },
        { 'content-encoding': 'br' },
        { 'content-encoding': 'x-unknown' },
        { 'apollo-require-preflight': 'true' },
        { accept: 'text/event-stream' },
        { accept: 'multipart/mixed; deferSpec=20220824' },
        { accept: 'application/graphql-response+json' },
        { 'x-forwarded-for': 'not an address' },
        { 'x-forwarded-for': '::1, 127.0.0.1, 300.1.1.1' },
        { 'x-request-id': 'x'.repeat(500) },
        { traceparent: '00-00000000000000000000000000000000-0000000000000000-ff' },
        { traceparent: 'garbage' },
        { 'apollographql-client-name': '\u00ff'.repeat(100) },
      ),
      weight: 3,
    },
  );
  return fc
    .record({ auth, contentType: fc.constantFrom(...contentTypes), body, headers })
    .map((fields): FuzzCase => ({ kind: 'http-body', ...fields }));
}

const UPLOAD =
  'mutation ($file: Upload!, $purpose: ImagePurpose!) { uploadImage(file: $file, purpose: $purpose) { id status } }';

/** Files put in multipart requests: real images, images that lie about themselves, and no image at all. */
export const TEST_FILES = [
  'png',
  'svg',
  'truncated-jpeg',
  'png-bomb',
  'random',
  'empty',
  'text',
  'gif-header',
] as const;

/** GraphQL multipart requests (uploads) with the parts right, missing, repeated, out of order or lying. */
export function multipartCase(auth: fc.Arbitrary<Auth>, pools: Pools): fc.Arbitrary<FuzzCase> {
  const file = fc.record({
    name: fc.constantFrom('1', '1', '1', '0', 'file', ''),
    filename: fc.constantFrom('a.png', 'a.jpg', '../../x.png', 'a\u202egnp.exe', '😀.gif', '', 'x'.repeat(2000)),
    contentType: fc.constantFrom('image/png', 'image/jpeg', 'application/octet-stream', 'text/html', ''),
    content: fc.constantFrom(...TEST_FILES).map((name) => `file:${name}`),
  });
  const purpose = fc.constantFrom('MESSAGE', 'AVATAR', 'CHAT_PHOTO', 'NOPE', '');
  const operations = fc.oneof(
    {
      arbitrary: purpose.map((value) => json({ query: UPLOAD, variables: { file: null, purpose: value } })),
      weight: 6,
    },
    {
      arbitrary: fc.constantFrom(
        json({
          query: 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
          variables: { input: { chatId: pools.chatIds[0], clientMessageId: null, text: null } },
        }),
        json({ query: '{ me { id } }', variables: { file: null } }),
        json([{ query: UPLOAD, variables: { file: null, purpose: 'MESSAGE' } }]),
        json({ query: UPLOAD }),
        '{',
        '',
      ),
      weight: 2,
    },
  );
  const map = fc.constantFrom(
    json({ 1: ['variables.file'] }),
    json({ 1: ['variables.file'] }),
    json({ 1: ['variables.input.clientMessageId'] }),
    json({ 1: ['variables.file'], 2: ['variables.file'] }),
    json({ 1: ['variables.nope.deeper'] }),
    json({ 1: ['variables.__proto__.x'] }),
    json({ 1: ['0.variables.file'] }),
    json({ 1: 'variables.file' }),
    json({ 1: [] }),
    json({}),
    json([]),
    '{',
  );
  const layout = fc.constantFrom(
    'spec',
    'spec',
    'spec',
    'two-files',
    'file-first',
    'no-map',
    'no-file',
    'repeated-operations',
  );
  return fc
    .record({ auth, operations, map, file, second: file, layout, preflight: fc.constantFrom(true, true, true, false) })
    .map(({ auth, operations, map, file, second, layout, preflight }): FuzzCase => {
      const operationsPart: MultipartPart = { name: 'operations', content: operations };
      const mapPart: MultipartPart = { name: 'map', content: map };
      const parts: Record<string, MultipartPart[]> = {
        spec: [operationsPart, mapPart, file],
        'two-files': [operationsPart, mapPart, file, { ...second, name: '2' }],
        'file-first': [file, operationsPart, mapPart],
        'no-map': [operationsPart, file],
        'no-file': [operationsPart, mapPart],
        'repeated-operations': [operationsPart, operationsPart, mapPart, file],
      };
      return { kind: 'multipart', auth, boundary: 'fuzzboundary', parts: parts[layout]!, preflight };
    });
}

const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'FOO', 'get', 'CONNECT'];
const targets = [
  '/graphql',
  '/graphql?query=%7B__typename%7D',
  '/graphql?query=%7Bme%7Bid%7D%7D&query=%7B__typename%7D',
  '/graphql?query=%ZZ',
  '/graphql?query=%E0%A4%A',
  '/graphql?variables=%7B&query=%7B__typename%7D',
  '/graphql?extensions=%7B%22persistedQuery%22%3A1%7D',
  '/graphql?' + 'a=1&'.repeat(3000),
  '/graphql/',
  '/graphql/../metrics',
  '/graphql%2f..%2fmetrics',
  '//graphql',
  '/%',
  '/%00',
  '/..%2f..%2fetc%2fpasswd',
  '/media/x',
  '/media/../../etc/passwd',
  '/media/%2e%2e/%2e%2e/etc/passwd',
  '/readyz?x=%',
  '/healthz',
  '/metrics',
  '/' + 'a'.repeat(20_000),
  '*',
  'http://127.0.0.1/graphql',
  'graphql',
  '/graphql#frag',
  '/\\graphql',
];
const rawHeaders: Record<string, string>[] = [
  {},
  // No body follows: a header that promises one (a length, chunks) would leave the server rightly waiting.
  { 'content-length': '-1' },
  { 'content-length': '99999999999999999999' },
  { 'content-length': 'x' },
  { 'transfer-encoding': 'chunked', 'content-length': '3' },
  { 'transfer-encoding': 'gzip' },
  { upgrade: 'websocket', connection: 'Upgrade' },
  { 'apollo-require-preflight': 'true' },
  { expect: '100-continue' },
  { 'x-forwarded-for': '127.0.0.1' },
  { authorization: 'Bearer \u00ff\u00fe' },
];
const rawBytes = [
  'GET / HTTP/1.1\r\n\r\n',
  'GET /graphql HTTP/1.0\r\n\r\n',
  'GET /graphql HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET /graphql\r\n\r\n',
  '\r\n\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":"{__typename}"}',
  'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 30\r\n\r\n{}',
  'GET /graphql HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
  'GET /graphql HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n',
  `GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 12\r\nSec-WebSocket-Key: x\r\n\r\n',
  'GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: \u0000\r\n\r\n',
  'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003',
  'GET /graphql HTTP/1.1\nHost: x\n\n',
];

/** Requests written by hand on a socket: odd methods, targets and headers, and bytes that are no HTTP at all. */
export function rawHttpCase(): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    {
      arbitrary: fc
        .record({
          method: fc.constantFrom(...methods),
          target: fc.constantFrom(...targets),
          headers: fc.constantFrom<Record<string, string>>(...rawHeaders),
        })
        .map((fields): FuzzCase => ({ kind: 'raw-http', ...fields })),
      weight: 3,
    },
    { arbitrary: fc.constantFrom(...rawBytes).map((text): FuzzCase => ({ kind: 'raw-bytes', text })), weight: 1 },
  );
}

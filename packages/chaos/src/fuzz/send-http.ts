import http from 'node:http';
import net from 'node:net';
import { rawHttpRequest } from '@letstalk/testing';
import { TOKEN_PLACEHOLDER, type FuzzCase, type MultipartPart } from './types.ts';

/** What came back for one HTTP case. `status` 0: no answer (`failure` says why). */
export interface HttpObservation {
  status: number;
  contentType: string;
  body: string;
  failure?: string;
  /**
   * The request's head (line and headers) was over Node's 16 KiB: whichever server reads it first refuses it before
   * any GraphQL runs (Node with a bare 431; a balancer in front, such as HAProxy, with a page of its own).
   */
  headTooLarge?: boolean;
}

/** Node's limit on a request's head (`--max-http-header-size`). */
const MAX_HEADER_BYTES = 16 * 1024;

/** How long one request may take before the pass counts it as unanswered. */
const REQUEST_TIMEOUT_MS = 20_000;

/** The request as the pass sends it, with the token and files put in (what a failure report shows). */
export interface ResolvedHttp {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface SendContext {
  gatewayUrl: string;
  /** The client address this case is sent from (the gateway trusts one proxy hop). */
  clientIp: string;
  /** The access token standing in for TOKEN_PLACEHOLDER (the case's person, or a fresh session). */
  token: string;
  files: Record<string, Buffer>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export const closeHttpAgent = () => agent.destroy();

const withToken = (text: string, token: string) => text.split(TOKEN_PLACEHOLDER).join(token);

function authHeader(fuzzCase: FuzzCase, token: string): Record<string, string> {
  if (!('auth' in fuzzCase)) return {};
  const { auth } = fuzzCase;
  if (auth.as === 'anonymous') return {};
  if (auth.as === 'header') return { authorization: withToken(auth.value, token) };
  return { authorization: `Bearer ${token}` };
}

function multipartBody(boundary: string, parts: MultipartPart[], files: Record<string, Buffer>): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const head = [`--${boundary}`, `Content-Disposition: ${disposition}`];
    if (part.contentType) head.push(`Content-Type: ${part.contentType}`);
    chunks.push(Buffer.from(`${head.join('\r\n')}\r\n\r\n`));
    chunks.push(
      part.content.startsWith('file:') ? (files[part.content.slice(5)] ?? Buffer.alloc(0)) : Buffer.from(part.content),
    );
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** The HTTP request of a case (not the raw ones), ready to send. */
export function resolveHttp(fuzzCase: FuzzCase, context: SendContext): ResolvedHttp | undefined {
  const headers: Record<string, string> = {
    'x-forwarded-for': context.clientIp,
    ...authHeader(fuzzCase, context.token),
  };
  switch (fuzzCase.kind) {
    case 'http-post':
      return {
        method: 'POST',
        path: '/graphql',
        headers: { ...headers, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(fuzzCase.op.request)),
      };
    case 'http-get': {
      const { query, variables, operationName } = fuzzCase.op.request;
      const search = new URLSearchParams({ query });
      if (variables) search.set('variables', JSON.stringify(variables));
      if (operationName !== undefined) search.set('operationName', operationName);
      if (fuzzCase.preflight) headers['apollo-require-preflight'] = 'true';
      return { method: 'GET', path: `/graphql?${search.toString()}`, headers };
    }
    case 'http-body':
      return {
        method: 'POST',
        path: '/graphql',
        headers: {
          ...headers,
          ...(fuzzCase.contentType === null ? {} : { 'content-type': fuzzCase.contentType }),
          ...fuzzCase.headers,
        },
        body: Buffer.from(fuzzCase.body),
      };
    case 'multipart':
      if (fuzzCase.preflight) headers['apollo-require-preflight'] = 'true';
      return {
        method: 'POST',
        path: '/graphql',
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${fuzzCase.boundary}` },
        body: multipartBody(fuzzCase.boundary, fuzzCase.parts, context.files),
      };
    default:
      return undefined;
  }
}

/** Sends one resolved request with node:http (which writes what it is given, within HTTP's rules). */
export function sendHttp(gatewayUrl: string, resolved: ResolvedHttp): Promise<HttpObservation> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve) => {
    let outgoing: http.ClientRequest;
    try {
      outgoing = http.request({
        host: hostname,
        port: Number(port),
        method: resolved.method,
        path: resolved.path,
        headers: resolved.body
          ? { ...resolved.headers, 'content-length': String(resolved.body.length) }
          : resolved.headers,
        agent,
        timeout: REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      // node:http refuses to write some headers or paths at all: nothing reached the server.
      resolve({ status: -1, contentType: '', body: '', failure: `not sent: ${(error as Error).message}` });
      return;
    }
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer in time')));
    const headBytes = resolved.path.length + JSON.stringify(resolved.headers).length;
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // Node answers a head over its 16 KiB limit with 431 and closes at once: while the request is still being
      // written, the client sees the reset before the answer.
      if (headBytes > MAX_HEADER_BYTES && /ECONNRESET|EPIPE/.test(error.code ?? '')) {
        resolve({ status: -1, contentType: '', body: '', failure: `a head over 16 KiB, cut: ${error.code}` });
        return;
      }
      resolve({ status: 0, contentType: '', body: '', failure: `${error.code ?? ''} ${error.message}`.trim() });
    });
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) =>
        resolve({ status: 0, contentType: '', body: '', failure: `body cut: ${error.message}` }),
      );
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString(),
          ...(headBytes > MAX_HEADER_BYTES ? { headTooLarge: true } : {}),
        }),
      );
    });
    outgoing.end(resolved.body);
  });
}

/** A hand-written request line through @letstalk/testing's rawHttpRequest. */
export async function sendRawRequest(
  gatewayUrl: string,
  fuzzCase: Extract<FuzzCase, { kind: 'raw-http' }>,
  clientIp: string,
): Promise<HttpObservation> {
  try {
    const answer = await Promise.race([
      rawHttpRequest(gatewayUrl, fuzzCase.target, {
        method: fuzzCase.method,
        headers: { 'x-forwarded-for': clientIp, ...fuzzCase.headers },
      }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer in time')), REQUEST_TIMEOUT_MS).unref(),
      ),
    ]);
    return { status: answer.status, contentType: '', body: answer.body };
  } catch (error) {
    return { status: 0, contentType: '', body: '', failure: (error as Error).message };
  }
}

/** Bytes that may not be HTTP at all, on a socket of their own; the answer is whatever comes back. */
export function sendRawBytes(gatewayUrl: string, text: string): Promise<HttpObservation> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = 'no answer in time';
      socket.destroy();
    }, 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => (failure = error.message));
    socket.on('close', () => {
      clearTimeout(timer);
      const answer = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve({
        status: status ? Number(status[1]) : 0,
        contentType: '',
        body: answer.slice(answer.indexOf('\r\n\r\n') + 4),
        ...(status ? {} : { failure: failure ?? 'closed without an answer' }),
      });
    });
    socket.end(Buffer.from(text, 'latin1'));
  });
}

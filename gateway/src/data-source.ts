import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { getGlobalDispatcher, request, type Dispatcher } from 'undici';
import { REQUEST_ID_HEADER } from '@letstalk/log';
import { subgraphFetchDuration } from '@letstalk/metrics';
import { CLIENT_IP_HEADER } from '@letstalk/server';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  inSpan,
  isTracing,
  SpanKind,
  SpanStatusCode,
  traceHeaders,
} from '@letstalk/tracing';
import type { GatewayContext } from './context.ts';
import { findUploads, MAX_UPLOAD_BYTES, multipartRequest } from './upload-forwarding.ts';

/** Default of GATEWAY_SUBGRAPH_TIMEOUT_MS: a subgraph's answer headers, and each next chunk of its body. */
export const SUBGRAPH_TIMEOUT_MS = 15_000;

/**
 * A subgraph's 400 with GraphQL errors (a variable it cannot coerce: an `Upload` that is no file, sent as JSON or
 * over graphql-ws) answers with those errors, codes and all; Apollo's data source would throw `400: Bad Request`
 * instead, which the client got as INTERNAL_SERVER_ERROR. Any other failure is thrown again.
 */
function subgraphRefusal(error: unknown): GatewayGraphQLResponse {
  const response = (error instanceof GraphQLError ? error.extensions.response : undefined) as
    { status?: unknown; body?: { errors?: unknown } } | undefined;
  if (response?.status !== 400 || !Array.isArray(response.body?.errors) || response.body.errors.length === 0)
    throw error;
  return { errors: response.body.errors as GatewayGraphQLResponse['errors'] };
}

/** Whether a subgraph call is made for a client (health checks and schema loading carry no client context). */
const isClientContext = (context: object): context is GatewayContext => 'requestId' in context;

/**
 * Forwards the caller's access token (each subgraph verifies it again; none trusts a bare user id), the
 * request id (one id across every service's log) and the client address (per-IP limits).
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraphName: string;

  constructor(
    /** `name`: the subgraph's, for the fetch metrics. */
    config: { url: string; fetcher?: Fetcher; name?: string },
    /** The connections multipart requests (file uploads) go over; other requests use the fetcher. */
    private readonly dispatcher: Dispatcher = getGlobalDispatcher(),
    private readonly timeoutMs = SUBGRAPH_TIMEOUT_MS,
    /** Bytes of one uploaded file passed on (GATEWAY_MAX_UPLOAD_BYTES). */
    private readonly maxUploadBytes = MAX_UPLOAD_BYTES,
  ) {
    super(config);
    this.subgraphName = config.name ?? 'unknown';
  }

  /** Each fetch, timed by subgraph and outcome (`letstalk_gateway_subgraph_fetch_duration_seconds`). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    let outcome = 'error';
    try {
      const response = await this.forward(options).catch((error: unknown) => subgraphRefusal(error));
      if (!response.errors?.length) outcome = 'ok';
      return response;
    } finally {
      subgraphFetchDuration.observe({ subgraph: this.subgraphName, outcome }, (performance.now() - started) / 1000);
    }
  }

  /**
   * Apollo gateway sends JSON only; an operation whose variables hold uploaded files is sent on as a
   * GraphQL multipart request instead, the files streamed through (docs/pitfalls.md: apollographql/federation#1385).
   */
  private async forward(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const operation = options.request;
    if (findUploads(operation.variables).length === 0) return super.process(options);
    const headers = new Headers();
    for (const [name, value] of operation.http?.headers ?? []) headers.append(name, value);
    operation.http = { method: 'POST', url: this.url, headers };
    this.willSendRequest(options);
    const multipart = multipartRequest(
      {
        query: operation.query ?? '',
        variables: operation.variables ?? {},
        ...(operation.operationName ? { operationName: operation.operationName } : {}),
      },
      this.maxUploadBytes,
    );
    headers.set('content-type', multipart.contentType);
    headers.set('apollo-require-preflight', 'true');
    try {
      return await traced('POST', this.url, Object.fromEntries(headers), async (traceable) => {
        const response = await request(this.url, {
          method: 'POST',
          headers: traceable,
          body: multipart.body,
          dispatcher: this.dispatcher,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        return { status: response.statusCode, body: (await response.body.json()) as GatewayGraphQLResponse };
      }).then((response) => response.body);
    } catch (error) {
      const failure = multipart.failure();
      if (failure instanceof GraphQLError) return { errors: [failure.toJSON()] };
      throw error;
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!isClientContext(context)) return;
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    headers.set(CLIENT_IP_HEADER, context.clientIp);
  }
}

/**
 * The gateway's HTTP client for subgraph calls: undici's `request` over keep-alive connections. Node's
 * built-in `fetch` wraps the same client in web streams and abort signals, which cost the gateway more
 * CPU per call than planning and merging the response together (measured with `npm run bench`).
 * The body is read whole before the response is handed on, so every call frees its connection. A subgraph
 * that sends no headers, or stops sending its body, for `timeoutMs` fails the call.
 */
export function createSubgraphFetcher(dispatcher: Dispatcher, timeoutMs = SUBGRAPH_TIMEOUT_MS): Fetcher {
  return (url, init = {}) =>
    traced(init.method ?? 'GET', url, init.headers, async (traceable) => {
      const response = await request(url, {
        method: init.method ?? 'GET',
        headers: traceable,
        body: init.body,
        signal: init.signal,
        dispatcher,
        // A subgraph that hangs fails this call (its fields null with an error), not the gateway's memory.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = await response.body.text();
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value])
          headers.append(name, each);
      }
      return bufferedResponse(url, response.statusCode, headers, body);
    });
}

/**
 * Makes one call to a subgraph. Tracing on, it is a client span (`POST`, with the HTTP semantic conventions'
 * attributes) whose `traceparent` goes with the request, so the subgraph's own span is its child.
 */
function traced<Response extends { status: number }>(
  method: string,
  url: string,
  headers: Record<string, string> | undefined,
  send: (headers: Record<string, string> | undefined) => Promise<Response>,
): Promise<Response> {
  if (!isTracing()) return send(headers);
  const target = new URL(url);
  const attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_SERVER_ADDRESS]: target.hostname,
    [ATTR_SERVER_PORT]: Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
    [ATTR_URL_FULL]: url,
  };
  return inSpan(method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const response = await send({ ...headers, ...traceHeaders() });
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
    if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
    return response;
  });
}

function bufferedResponse(url: string, status: number, headers: Headers, body: string): FetcherResponse {
  const response: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: STATUS_CODES[status] ?? '',
    headers,
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(body).buffer,
    clone: () => bufferedResponse(url, status, headers, body),
  };
  return response;
}

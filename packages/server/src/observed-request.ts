import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext as ApolloContext } from '@apollo/server';
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from '@letstalk/log';
import {
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  contextFromHttp,
  logFieldsOf,
  SpanKind,
  SpanStatusCode,
  startSpan,
  withSpan,
  type Span,
} from '@letstalk/tracing';

/** Longest operation name an access line repeats (a client chooses it). */
const MAX_OPERATION_NAME = 100;
/** Error codes an access line lists at most. */
const MAX_ERROR_CODES = 5;

/**
 * One GraphQL request over HTTP while it runs: its id, its server span (tracing on), and what the access
 * line says of it once the response is sent. See {@link observeRequest}.
 */
export class ObservedRequest {
  readonly started = performance.now();
  operationName: string | undefined;
  operationType: string | undefined;
  errorCodes: string[] | undefined;

  constructor(
    /** The request id the gateway gave (or this service made), the same in every service's lines. */
    readonly id: string,
    readonly span: Span | undefined,
  ) {}

  /** Runs the handling of the request with its span active, so every span and log line inside joins it. */
  run(handle: () => void): void {
    withSpan(this.span, handle);
  }

  /** The operation Apollo resolved (name and type), on the span and in the access line. */
  resolved(operationName: string | null | undefined, operationType: string | undefined): void {
    if (operationName) this.operationName = operationName.slice(0, MAX_OPERATION_NAME);
    this.operationType = operationType;
    if (!this.span) return;
    if (this.operationName) this.span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, this.operationName);
    if (operationType) this.span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operationType);
  }
}

/**
 * Where a context holds its observed request, for the plugin (Apollo hands it the context, not the HTTP
 * request). A symbol-keyed own property: Apollo passes plugins a shallow copy of the context, which keeps it.
 */
const OBSERVED = Symbol('observed request');

/** Ties a request to the context Apollo built for it (see {@link observeOperations}). */
export function attachContext<Context extends object>(context: Context, request: ObservedRequest): Context {
  return Object.assign(context, { [OBSERVED]: request });
}

/**
 * Starts observing one GraphQL request: a server span `POST /graphql` (tracing on) that continues the
 * caller's `traceparent`, and, when the response has been sent (or the connection dropped), one access line
 * at `info`: operation name and type, HTTP status, outcome and error codes, duration, request id, trace id.
 * Never a header, a variable or a result: tokens and message text stay out of the log.
 */
export function observeRequest(req: IncomingMessage, res: ServerResponse, log: Logger): ObservedRequest {
  const method = (req.method ?? 'GET').toUpperCase();
  const span = startSpan(`${method} /graphql`, {
    kind: SpanKind.SERVER,
    parent: contextFromHttp(req.headers),
    attributes: {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_HTTP_ROUTE]: '/graphql',
      [ATTR_URL_PATH]: '/graphql',
      [ATTR_URL_SCHEME]: 'http',
    },
  });
  const request = new ObservedRequest(requestIdFrom(req.headers[REQUEST_ID_HEADER]), span);
  res.once('close', () => {
    const durationMs = Math.round((performance.now() - request.started) * 10) / 10;
    const completed = res.writableFinished;
    const status = res.statusCode;
    const outcome = !completed ? 'aborted' : status >= 400 || request.errorCodes ? 'error' : 'ok';
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500 || !completed) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    log.info(
      {
        reqId: request.id,
        ...logFieldsOf(span),
        method,
        operation: request.operationName ?? null,
        operationType: request.operationType,
        status,
        outcome,
        ...(request.errorCodes ? { errors: request.errorCodes } : {}),
        durationMs,
      },
      'graphql request',
    );
  });
  return request;
}

/**
 * The Apollo plugin that tells each observed request which operation it ran and which error codes its
 * response carries. Operations that did not come over HTTP (graphql-ws, the gateway's live payloads) have
 * no observed request and are left alone.
 */
export function observeOperations<Context extends ApolloContext>(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async ({ contextValue }) => {
      const request = (contextValue as { [OBSERVED]?: ObservedRequest })[OBSERVED];
      if (!request) return;
      return {
        didResolveOperation: async ({ operationName, operation }) => {
          request.resolved(operationName, operation?.operation);
        },
        willSendResponse: async ({ response }) => {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.length) return;
          const codes = new Set(
            errors.map((error) => {
              const code = error.extensions?.code;
              return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
            }),
          );
          request.errorCodes = [...codes].slice(0, MAX_ERROR_CODES);
        },
      };
    },
  };
}

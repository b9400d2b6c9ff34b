import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext as ApolloContext } from '@apollo/server';
import bodyParser from 'body-parser';
import { GraphQLError } from 'graphql';
import { processRequest } from 'graphql-upload-minimal';
import type { Logger } from '@letstalk/log';
import { decideClientSampling } from '@letstalk/tracing';
import { attachContext, observeRequest, type ObservedRequest } from './observed-request.ts';

/** The path every LetsTalk service serves GraphQL on. */
export const GRAPHQL_PATH = '/graphql';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** True when the request is for the GraphQL endpoint (query string allowed). */
export function isGraphqlRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return url === GRAPHQL_PATH || url.startsWith(`${GRAPHQL_PATH}?`);
}

/**
 * Serves an Apollo Server straight from `node:http`, as Apollo's own standalone server does: the JSON
 * body is read by body-parser (size limit, charset), the rest is Apollo's. Routing every GraphQL request
 * through express cost each service more CPU than the subgraph's own work on small operations
 * (measured with `npm run bench`), so express keeps only the other routes.
 *
 * A body that is too large or not JSON is answered with a GraphQL error body and an `extensions.code`.
 */
export function graphqlHttpHandler<Context extends ApolloContext>(
  server: ApolloServer<Context>,
  options: {
    maxBodyBytes: number;
    /** Where request failures and the access line of each request go (see observeRequest). */
    log: Logger;
    /** The context of one request; `requestId` is the one its access line and span carry. */
    context: (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<Context>;
    /**
     * Accept GraphQL multipart requests (file uploads): at most `maxFiles` files of `maxFileBytes` each.
     * Without it, a multipart request is refused. Apollo's CSRF prevention still applies: a multipart
     * request needs a non-simple header such as `Apollo-Require-Preflight`.
     */
    uploads?: { maxFileBytes: number; maxFiles: number };
    /**
     * Who sends the requests, for tracing. `public` (the default: anyone, as at the gateway): a caller's
     * `traceparent` is continued, but whether the trace is recorded is drawn here, never the caller's flag.
     * `internal` (a subgraph, called by the gateway only): the caller's decision is followed, so its
     * trace is recorded whole. See docs/tracing.md.
     */
    callers?: 'public' | 'internal';
  },
): HttpHandler {
  const parseJson = bodyParser.json({ limit: options.maxBodyBytes });
  const execute = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, request: ObservedRequest) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: query === -1 ? '' : url.slice(query),
        body: req.body,
      },
      context: async () => attachContext(await options.context(req, res, request.id), request),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  // With the request's span active again: the body arrives through stream events, which lose the context.
  const run = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, request: ObservedRequest) =>
    request.run(() => {
      execute(req, res, request).catch((failure: unknown) => {
        options.log.error({ err: failure }, 'GraphQL request failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
        else res.destroy();
      });
    });

  const handle = (req: IncomingMessage, res: ServerResponse, request: ObservedRequest) => {
    if (options.uploads && isMultipart(req)) {
      const { maxFileBytes, maxFiles } = options.uploads;
      // One byte over the limit, so a file of exactly `maxFileBytes` passes and a larger one is seen (openUpload).
      processRequest(req, res, { maxFileSize: maxFileBytes + 1, maxFiles, maxFieldSize: options.maxBodyBytes }).then(
        (body) => {
          (req as IncomingMessage & { body?: unknown }).body = body;
          run(req, res, request);
        },
        (error: unknown) => sendUploadError(res, error, options.uploads!),
      );
      return;
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) {
        sendBodyError(res, error, options.maxBodyBytes);
        return;
      }
      run(req, res, request);
    });
  };

  const publicCallers = options.callers !== 'internal';
  return (req, res) => {
    // Before the request's span is started from the caller's trace context (observeRequest).
    if (publicCallers) decideClientSampling(req.headers);
    handle(req, res, observeRequest(req, res, options.log));
  };
}

const isMultipart = (req: IncomingMessage) => /^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '');

function sendUploadError(res: ServerResponse, error: unknown, limits: { maxFileBytes: number; maxFiles: number }) {
  if (res.headersSent || res.destroyed) return;
  const { status, message } = error as { status?: number; message?: string };
  if (status === 413) {
    sendError(
      res,
      413,
      'PAYLOAD_TOO_LARGE',
      /max file uploads/.test(message ?? '')
        ? `At most ${limits.maxFiles} file(s) per request.`
        : (message ?? 'Too large.'),
    );
  } else {
    sendError(res, 400, 'BAD_USER_INPUT', `Not a valid GraphQL multipart request: ${message ?? 'unreadable'}`);
  }
}

function sendBodyError(res: ServerResponse, error: unknown, maxBodyBytes: number) {
  const { type, status } = error as { type?: string; status?: number };
  if (type === 'entity.too.large') {
    sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes.`);
  } else if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    sendError(res, 415, 'BAD_USER_INPUT', 'The request body must be UTF-8 JSON.');
  } else {
    sendError(
      res,
      status && status >= 400 && status < 500 ? status : 400,
      'BAD_USER_INPUT',
      'The request body is not valid JSON.',
    );
  }
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** Request-level failures (thrown while building the context) need their HTTP status set explicitly. */
export function withHttpStatus(error: unknown, status: number): unknown {
  if (!(error instanceof GraphQLError)) return error;
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status } } });
}

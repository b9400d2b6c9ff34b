import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext as ApolloContext } from '@apollo/server';
import bodyParser from 'body-parser';
import type { Logger } from '@letstalk/log';

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
    log: Logger;
    context: (req: IncomingMessage, res: ServerResponse) => Promise<Context>;
  },
): HttpHandler {
  const parseJson = bodyParser.json({ limit: options.maxBodyBytes });
  const execute = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
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
      context: () => options.context(req, res),
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

  return (req, res) => {
    parseJson(req, res, (error?: unknown) => {
      if (error) {
        sendBodyError(res, error, options.maxBodyBytes);
        return;
      }
      execute(req, res).catch((failure: unknown) => {
        options.log.error({ err: failure }, 'GraphQL request failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
        else res.destroy();
      });
    });
  };
}

function sendBodyError(res: ServerResponse, error: unknown, maxBodyBytes: number) {
  const { type, status } = error as { type?: string; status?: number };
  if (type === 'entity.too.large') {
    sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes.`);
  } else if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    sendError(res, 415, 'BAD_USER_INPUT', 'The request body must be UTF-8 JSON.');
  } else {
    sendError(res, status && status >= 400 && status < 500 ? status : 400, 'BAD_USER_INPUT', 'The request body is not valid JSON.');
  }
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

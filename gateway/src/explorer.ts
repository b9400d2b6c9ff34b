import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  css,
  editorWorkerService,
  favicon,
  graphqlWorker,
  js as graphiql,
  jsonWorker,
} from '@graphql-yoga/render-graphiql/graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import type { IncomingMessage, ServerResponse } from 'node:http';

const DEFAULT_QUERY = `# Welcome to LetsTalk. Sign in with a mutation (signInWithEmailCode, signInWithOidc, ...),
# then put the access token in the Headers tab: { "Authorization": "Bearer <accessToken>" }
# It goes with every query and mutation, and with every subscription too: a subscription
# opens a WebSocket that sends it in connection_init, e.g.
#   subscription { messageAdded { chat { id } sender { displayName } text } }
# Without a valid token the gateway refuses the WebSocket (4403), and the result pane says so.

query Me {
  me {
    id
    displayName
  }
}
`;

/**
 * The graphql-ws client's browser build (the very package the gateway serves with), defining `graphqlWs`.
 * `./package.json` is the one file of it exported to resolve from; `umd/` is in its published files.
 */
const graphqlWsBrowserBuild = () =>
  readFileSync(
    join(dirname(createRequire(import.meta.url).resolve('graphql-ws/package.json')), 'umd', 'graphql-ws.min.js'),
    'utf8',
  );

/**
 * The page's own fetcher for GraphiQL (its `fetcher` prop, which yoga's GraphiQL uses instead of its own).
 * Yoga's built-in one sends the Headers tab with HTTP requests only: over WebSocket its `connection_init` is
 * `{}` (the headers ride in each `subscribe` message's extensions, after the gateway has already refused the
 * socket), and its graphql-ws client retries a 4403 five times, so a refused subscription spins ~40 s.
 * This one, like GraphiQL's own toolkit fetcher, turns the Headers tab (as it is when Run is pressed) into the
 * connection params: `{ authorization }` from its `Authorization` header, whatever its case; one socket per
 * subscription, closed when it ends, never retried, so a refusal shows at once with its close code.
 * Plain browser JavaScript (no backticks: this is a template literal).
 */
const PAGE_SCRIPT = `
'use strict';
const endpoint = new URL(explorer.endpoint, location.href);
const socketUrl = new URL(endpoint);
socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

/** A header of the Headers tab, whatever the case of its name. */
function header(headers, name) {
  for (const key of Object.keys(headers || {})) {
    if (key.toLowerCase() === name && headers[key] != null) return String(headers[key]);
  }
  return undefined;
}

/** 'query', 'mutation' or 'subscription': the operation GraphiQL runs (the one named, else the only one). */
function operationType(documentAST, operationName) {
  const operations = ((documentAST && documentAST.definitions) || []).filter(
    (definition) => definition.kind === 'OperationDefinition',
  );
  const operation = operationName
    ? operations.find((definition) => definition.name && definition.name.value === operationName)
    : operations[0];
  return operation && operation.operation;
}

async function overHttp(params, headers) {
  const response = await fetch(endpoint, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'application/graphql-response+json, application/json',
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: 'HTTP ' + response.status + ' ' + response.statusText + ': ' + text.slice(0, 500) }] };
  }
}

/** What graphql-ws ended a subscription with, as a result GraphiQL shows. */
function failure(error) {
  if (Array.isArray(error)) return { errors: error }; // the gateway's own errors for this operation
  if (error && typeof error.code === 'number') {
    const hint =
      error.code === 4403
        ? ' No access token, or one the gateway does not accept: put { "Authorization": "Bearer <accessToken>" } in the Headers tab.'
        : error.code === 4401
          ? ' The access token expired or its session ended: sign in (or refreshSession) and put the new token in the Headers tab.'
          : '';
    return {
      errors: [
        {
          message: 'The gateway closed the WebSocket: ' + error.code + ' ' + (error.reason || '') + '.' + hint,
          extensions: { closeCode: error.code, closeReason: error.reason },
        },
      ],
    };
  }
  if (error instanceof Error) return { errors: [{ message: error.message }] };
  return { errors: [{ message: 'The WebSocket to ' + socketUrl.href + ' failed (is the gateway running?).' }] };
}

function overWebSocket(params, headers) {
  return {
    subscribe(observer) {
      const authorization = header(headers, 'authorization');
      const client = graphqlWs.createClient({
        url: socketUrl.href,
        // The gateway authenticates a socket by its connection_init, not by HTTP headers.
        connectionParams: authorization ? { authorization } : {},
        retryAttempts: 0,
      });
      const stop = client.subscribe(params, {
        next: (result) => observer.next(result),
        error: (error) => {
          observer.next(failure(error));
          observer.complete();
          client.dispose();
        },
        complete: () => {
          observer.complete();
          client.dispose();
        },
      });
      return {
        unsubscribe() {
          stop();
          client.dispose();
        },
      };
    },
  };
}

function fetcher(params, options) {
  const headers = (options && options.headers) || {};
  return operationType(options && options.documentAST, params.operationName) === 'subscription'
    ? overWebSocket(params, headers)
    : overHttp(params, headers);
}

YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), { ...explorer.graphiql, fetcher });
`;

/** JSON safe inside a `<script>` element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The explorer page: yoga's GraphiQL build (self-contained: no CDN, it works offline), the same page
 * `renderGraphiQL` makes, with {@link PAGE_SCRIPT}'s fetcher.
 */
export function renderExplorer(endpoint: string): string {
  const graphiqlOptions = {
    title: 'LetsTalk explorer',
    defaultQuery: DEFAULT_QUERY,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  } satisfies GraphiQLOptions;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${graphiqlOptions.title}</title>
    <link rel="icon" href="${favicon}" />
    <style>
      ${css}
    </style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      ${graphqlWsBrowserBuild()}
    </script>
    <script>
      function prepareBlob(workerContent) {
        const blob = new Blob([workerContent], { type: 'application/javascript' });
        return URL.createObjectURL(blob);
      }
      const workers = {
        editorWorkerService: prepareBlob(${JSON.stringify(editorWorkerService)}),
        json: prepareBlob(${JSON.stringify(jsonWorker)}),
        graphql: prepareBlob(${JSON.stringify(graphqlWorker)}),
      };
      self['MonacoEnvironment'] = {
        globalAPI: false,
        getWorkerUrl: function (moduleId, label) {
          return workers[label];
        },
      };
      ${graphiql};
    </script>
    <script>
      (function (explorer) {
        ${PAGE_SCRIPT}
      })(${scriptJson({ endpoint, graphiql: graphiqlOptions })});
    </script>
  </body>
</html>
`;
}

/**
 * GraphiQL, rendered once and served gzip-compressed with an ETag, since the page is several megabytes.
 */
export function createExplorer(endpoint: string) {
  let page: { html: Buffer; gzip: Buffer; etag: string } | undefined;
  const render = () => {
    if (page) return page;
    const html = Buffer.from(renderExplorer(endpoint));
    page = {
      html,
      gzip: gzipSync(html),
      etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`,
    };
    return page;
  };

  return {
    /** True for a browser navigating to the endpoint (GET asking for HTML). */
    wants: (req: IncomingMessage) => req.method === 'GET' && (req.headers.accept ?? '').includes('text/html'),
    serve(req: IncomingMessage, res: ServerResponse) {
      const { html, gzip, etag } = render();
      const headers = {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        ETag: etag,
        Vary: 'Accept-Encoding',
        'X-Content-Type-Options': 'nosniff',
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
      } else if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': gzip.length }).end(gzip);
      } else {
        res.writeHead(200, { ...headers, 'Content-Length': html.length }).end(html);
      }
    },
  };
}

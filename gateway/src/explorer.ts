import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { IncomingMessage, ServerResponse } from 'node:http';

const DEFAULT_QUERY = `# Welcome to LetsTalk. Sign in with a mutation (signInWithEmailCode, signInWithOidc, ...),
# then put the access token in the Headers tab: { "Authorization": "Bearer <accessToken>" }

query Me {
  me {
    id
    displayName
  }
}
`;

/**
 * GraphiQL, self-contained (no CDN: it works offline), rendered once and served gzip-compressed with an
 * ETag, since the page is several megabytes.
 */
export function createExplorer(endpoint: string) {
  let page: { html: Buffer; gzip: Buffer; etag: string } | undefined;
  const render = () => {
    if (page) return page;
    const html = Buffer.from(
      renderGraphiQL({
        endpoint,
        subscriptionsProtocol: 'WS',
        title: 'LetsTalk explorer',
        defaultQuery: DEFAULT_QUERY,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
      }),
    );
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

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/** A GraphQL answer with errors (or an HTTP failure), with the first error's `extensions.code` at hand. */
export class LetsTalkError extends Error {
  constructor(
    readonly errors: readonly GraphQLFormattedError[],
    readonly status?: number,
  ) {
    super(errors.map((error) => error.message).join('; ') || `HTTP ${status ?? '?'}`);
    this.name = 'LetsTalkError';
  }

  /** `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, `RATE_LIMITED`, ... */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code as string | undefined;
  }
}

export interface ClientOptions {
  /** The gateway's `/graphql` URL, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Returns the current access token (or nothing when signed out); called for every request. */
  accessToken?: () => string | undefined | Promise<string | undefined>;
  /** A WebSocket implementation where there is no global one (Node 20: `import { WebSocket } from 'ws'`). */
  webSocketImpl?: unknown;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

type Variables<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

/**
 * A small typed client for LetsTalk: queries and mutations over HTTP, file uploads as a GraphQL
 * multipart request, subscriptions over graphql-ws. Every operation is a TypedDocumentNode from the
 * generated SDK, so results and variables are typed.
 */
export function createClient(options: ClientOptions) {
  const doFetch = options.fetch ?? fetch;
  let ws: WsClient | undefined;

  async function headers(): Promise<Record<string, string>> {
    const token = await options.accessToken?.();
    return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  async function send<Result>(body: string | FormData, contentType: Record<string, string>): Promise<Result> {
    const response = await doFetch(options.url, {
      method: 'POST',
      headers: { ...contentType, ...(await headers()) },
      body,
    });
    const text = await response.text();
    let result: FormattedExecutionResult<Result>;
    try {
      result = JSON.parse(text) as FormattedExecutionResult<Result>;
    } catch {
      throw new LetsTalkError([{ message: text.slice(0, 200) }], response.status);
    }
    if (result.errors?.length) throw new LetsTalkError(result.errors, response.status);
    if (!response.ok || !result.data) throw new LetsTalkError([], response.status);
    return result.data;
  }

  return {
    /** Runs a query or mutation; throws {@link LetsTalkError} when the answer has errors. */
    request<Result, Vars extends Record<string, unknown>>(
      document: TypedDocumentNode<Result, Vars>,
      ...[variables]: Variables<Vars>
    ): Promise<Result> {
      return send<Result>(JSON.stringify({ query: print(document), variables: variables ?? {} }), {
        'content-type': 'application/json',
      });
    },

    /**
     * Runs a mutation whose variables hold files (`File` or `Blob`), as a GraphQL multipart request.
     * The `Apollo-Require-Preflight` header satisfies the gateway's CSRF protection.
     */
    upload<Result, Vars extends Record<string, unknown>>(
      document: TypedDocumentNode<Result, Vars>,
      variables: Vars,
    ): Promise<Result> {
      const files: { path: string; file: Blob }[] = [];
      const strip = (value: unknown, path: string): unknown => {
        if (value instanceof Blob) {
          files.push({ path, file: value });
          return null;
        }
        if (Array.isArray(value)) return value.map((item, index) => strip(item, `${path}.${index}`));
        if (value && typeof value === 'object') {
          return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, strip(item, `${path}.${key}`)]));
        }
        return value;
      };
      const operations = { query: print(document), variables: strip(variables, 'variables') };
      const form = new FormData();
      form.append('operations', JSON.stringify(operations));
      form.append(
        'map',
        JSON.stringify(Object.fromEntries(files.map((entry, index) => [String(index), [entry.path]]))),
      );
      files.forEach((entry, index) =>
        form.append(String(index), entry.file, entry.file instanceof File ? entry.file.name : `file-${index}`),
      );
      return send<Result>(form, { 'apollo-require-preflight': 'true' });
    },

    /**
     * Starts a subscription (or any operation) over graphql-ws on the same URL; the access token goes in
     * `connection_init` as `{ authorization: "Bearer ..." }`. Iterate the result; `return()` unsubscribes.
     */
    subscribe<Result, Vars extends Record<string, unknown>>(
      document: TypedDocumentNode<Result, Vars>,
      ...[variables]: Variables<Vars>
    ): AsyncIterableIterator<FormattedExecutionResult<Result, unknown>> {
      ws ??= createWsClient({
        url: options.url.replace(/^http/, 'ws'),
        lazy: true,
        retryAttempts: 0,
        ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
        connectionParams: async () => {
          const token = await options.accessToken?.();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      });
      return ws.iterate<Result>({ query: print(document), variables: variables ?? {} });
    },

    /** Closes the WebSocket, if one was opened. */
    async dispose(): Promise<void> {
      await ws?.dispose();
      ws = undefined;
    },
  };
}

export type LetsTalkClient = ReturnType<typeof createClient>;

import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderExplorer } from './explorer.ts';

type Observer = { next(result: unknown): void; complete(): void };
type Fetcher = (
  params: { query: string; operationName?: string },
  options?: { headers?: Record<string, unknown>; documentAST?: unknown },
) => Promise<unknown> | { subscribe(observer: Observer): { unsubscribe(): void } };
type Sink = { next(value: unknown): void; error(error: unknown): void; complete(): void };

const page = renderExplorer('/graphql');
const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);

/** A parsed one-operation document, as GraphiQL hands it to its fetcher. */
const documentOf = (operation: 'query' | 'mutation' | 'subscription', name?: string) => ({
  kind: 'Document',
  definitions: [{ kind: 'OperationDefinition', operation, ...(name ? { name: { kind: 'Name', value: name } } : {}) }],
});

/**
 * Runs the page's own script (its last `<script>`) with stand-ins for yoga's GraphiQL, graphql-ws and fetch;
 * gives the fetcher the page hands GraphiQL, and what it did with them.
 */
function loadPage(href = 'http://chat.test/graphql') {
  let props: { fetcher: Fetcher; title?: string; defaultQuery?: string } | undefined;
  const clients: { options: Record<string, unknown>; subscribed: unknown[]; sink?: Sink; disposed: number }[] = [];
  const requests: { url: string; init: RequestInit }[] = [];
  let answer = new Response('{"data":{"me":null}}');
  runInNewContext(scripts.at(-1)!, {
    URL,
    location: { href },
    document: { querySelector: (selector: string) => ({ selector }) },
    YogaGraphiQL: { renderYogaGraphiQL: (_root: unknown, given: typeof props) => (props = given) },
    graphqlWs: {
      createClient(options: Record<string, unknown>) {
        const client = { options, subscribed: [] as unknown[], sink: undefined as Sink | undefined, disposed: 0 };
        clients.push(client);
        return {
          subscribe(payload: unknown, sink: Sink) {
            client.subscribed.push(payload);
            client.sink = sink;
            return () => client.subscribed.push('stopped');
          },
          dispose: () => void client.disposed++,
        };
      },
    },
    fetch: async (url: URL, init: RequestInit) => {
      requests.push({ url: String(url), init });
      return answer;
    },
  });
  if (!props) throw new Error('the page did not render GraphiQL');
  return { props, clients, requests, answerWith: (response: Response) => (answer = response) };
}

function subscribe(fetcher: Fetcher, headers?: Record<string, unknown>) {
  const seen: unknown[] = [];
  let completed = false;
  const observable = fetcher(
    { query: 'subscription Live { messageAdded { id } }', operationName: 'Live' },
    { headers, documentAST: documentOf('subscription', 'Live') },
  );
  if (!('subscribe' in observable)) throw new Error('a subscription did not open a WebSocket');
  const subscription = observable.subscribe({
    next: (result) => seen.push(result),
    complete: () => (completed = true),
  });
  return { seen, subscription, completed: () => completed };
}

describe('the explorer page', () => {
  it('is yoga GraphiQL with the graphql-ws browser client, and its options inline safely', () => {
    expect(page).toContain('YogaGraphiQL');
    expect(scripts.some((script) => script.includes('graphqlWs'))).toBe(true);
    const { props } = loadPage();
    expect(props.title).toBe('LetsTalk explorer');
    expect(props.defaultQuery).toContain('{ "Authorization": "Bearer <accessToken>" }');
    // Inlined as JSON with every '<' escaped: no text of the options can close the script element.
    expect(scripts.at(-1)).toContain('Bearer \\u003caccessToken>');
    expect(scripts.at(-1)).not.toContain('</');
  });

  it("sends the Headers tab's Authorization (any case) in a subscription's connection_init, never retried", () => {
    const { props, clients } = loadPage('https://chat.test/graphql');
    const live = subscribe(props.fetcher, { AUTHORIZATION: 'Bearer token-1', 'X-Other': 'y' });
    expect(clients).toHaveLength(1);
    expect(clients[0]!.options).toEqual({
      url: 'wss://chat.test/graphql',
      connectionParams: { authorization: 'Bearer token-1' },
      retryAttempts: 0,
    });
    expect(clients[0]!.subscribed).toEqual([
      { query: 'subscription Live { messageAdded { id } }', operationName: 'Live' },
    ]);
    clients[0]!.sink!.next({ data: { messageAdded: { id: 'm1' } } });
    expect(live.seen).toEqual([{ data: { messageAdded: { id: 'm1' } } }]);
    live.subscription.unsubscribe();
    expect(clients[0]!.subscribed.at(-1)).toBe('stopped');
    expect(clients[0]!.disposed).toBeGreaterThan(0);

    // Each run reads the Headers tab as it is then: another token, another socket.
    subscribe(props.fetcher, { authorization: 'Bearer token-2' });
    expect(clients[1]!.options.connectionParams).toEqual({ authorization: 'Bearer token-2' });
  });

  it('opens the socket without a token when there is none, and shows the refusal with what to do', () => {
    const { props, clients } = loadPage();
    const live = subscribe(props.fetcher, undefined);
    expect(clients[0]!.options.url).toBe('ws://chat.test/graphql');
    expect(clients[0]!.options.connectionParams).toEqual({});
    clients[0]!.sink!.error({ code: 4403, reason: 'Forbidden' });
    expect(live.seen).toEqual([
      {
        errors: [
          {
            message: expect.stringMatching(/4403 Forbidden\..*"Authorization": "Bearer <accessToken>".*Headers tab/),
            extensions: { closeCode: 4403, closeReason: 'Forbidden' },
          },
        ],
      },
    ]);
    expect(live.completed()).toBe(true);
    expect(clients[0]!.disposed).toBeGreaterThan(0);
  });

  it("shows a subscription's GraphQL errors as they came", () => {
    const { props, clients } = loadPage();
    const live = subscribe(props.fetcher, { Authorization: 'Bearer t' });
    const errors = [{ message: 'Not a member', extensions: { code: 'FORBIDDEN' } }];
    clients[0]!.sink!.error(errors);
    expect(live.seen).toEqual([{ errors }]);
    expect(live.completed()).toBe(true);
  });

  it('runs queries and mutations over HTTP with the Headers tab as request headers', async () => {
    const { props, clients, requests, answerWith } = loadPage();
    const params = { query: 'query Me { me { id } }', operationName: 'Me' };
    await expect(
      props.fetcher(params, { headers: { Authorization: 'Bearer t' }, documentAST: documentOf('query', 'Me') }),
    ).resolves.toEqual({ data: { me: null } });
    // Introspection comes without a parsed document.
    answerWith(new Response('Too many requests', { status: 429, statusText: 'Too Many Requests' }));
    await expect(props.fetcher({ query: '{ __schema { queryType { name } } }' })).resolves.toEqual({
      errors: [{ message: 'HTTP 429 Too Many Requests: Too many requests' }],
    });
    expect(clients).toEqual([]);
    expect(requests.map(({ url, init }) => ({ url, method: init.method, headers: init.headers }))).toEqual([
      {
        url: 'http://chat.test/graphql',
        method: 'POST',
        headers: {
          accept: 'application/graphql-response+json, application/json',
          'content-type': 'application/json',
          Authorization: 'Bearer t',
        },
      },
      {
        url: 'http://chat.test/graphql',
        method: 'POST',
        headers: { accept: 'application/graphql-response+json, application/json', 'content-type': 'application/json' },
      },
    ]);
    expect(JSON.parse(requests[0]!.init.body as string)).toEqual(params);
  });
});

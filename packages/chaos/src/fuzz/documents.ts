import fc from 'fast-check';
import type { GeneratedOperation, OperationType } from './operations.ts';
import type { Pools } from './values.ts';

/** Nested `chat { messages { edges { node { chat ... } } } }`, `levels` times: at, past and far past MAX_QUERY_DEPTH. */
function deepQuery(chatId: string, levels: number): string {
  let inner = 'id';
  for (let level = 0; level < levels; level += 1) inner = `chat { messages(first: 1) { edges { node { ${inner} } } } }`;
  return `query Deep { messages(chatId: ${JSON.stringify(chatId)}, first: 1) { edges { node { ${inner} } } } }`;
}

/** A fragment that doubles `levels` times: few tokens, an exponential number of fields once expanded. */
function fragmentBomb(levels: number): string {
  const fragments = ['fragment F0 on Query { me { id displayName } signInMethods { facebook } }'];
  for (let level = 1; level <= levels; level += 1)
    fragments.push(`fragment F${level} on Query { ...F${level - 1} ...F${level - 1} }`);
  return `query Bomb { ...F${levels} }\n${fragments.join('\n')}`;
}

const aliases = (count: number, field: string) =>
  `query Aliases { ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`;

const directives = (count: number) => `query Directives { me { id ${'@include(if: true) '.repeat(count)} } }`;

/**
 * Documents whose shape, not their arguments, is the test: depth, aliases, tokens, directives, fragment cycles
 * and bombs, introspection, several operations, comments, and text that is no GraphQL at all.
 */
export function documentShapes(pools: Pools): fc.Arbitrary<GeneratedOperation> {
  const chatId = fc.constantFrom(...pools.chatIds);
  const documents: fc.Arbitrary<{ operation?: OperationType; query: string; operationName?: string }> = fc.oneof(
    chatId.chain((id) => fc.constantFrom(2, 3, 4, 5, 50, 400).map((levels) => ({ query: deepQuery(id, levels) }))),
    fc.constantFrom(8, 12, 16, 20).map((levels) => ({ query: fragmentBomb(levels) })),
    fc
      .constantFrom(14, 15, 16, 200)
      .chain((count) =>
        fc
          .constantFrom('me { id }', '__typename', 'signInMethods { facebook }')
          .map((field) => ({ query: aliases(count, field) })),
      ),
    fc.constantFrom(49, 50, 51, 500).map((count) => ({ query: directives(count) })),
    fc.constantFrom(1999, 2001, 20_000).map((count) => ({ query: `query Tokens { me { ${'id '.repeat(count)} } }` })),
    fc.constantFrom(
      { query: 'fragment A on User { ...B } fragment B on User { ...A } query Cycle { me { ...A } }' },
      { query: 'fragment A on User { ...A } query { me { ...A } }' },
      { query: 'query { __schema { types { name fields { name } } } }' },
      { query: 'query { __type(name: "User") { name fields { name type { name } } } }' },
      { query: 'query { __typename }' },
      { query: 'mutation { __typename }' },
      { operation: 'subscription', query: 'subscription { __typename }' },
      { operation: 'subscription', query: 'subscription { typing { chatId } callEvents { kind } }' },
      { query: 'query A { me { id } } query B { me { id } }' },
      { query: 'query A { me { id } } query B { me { id } }', operationName: 'C' },
      { query: 'query A { me { id } } mutation A { signOut }', operationName: 'A' },
      { query: '{ me { id } } { me { id } }' },
      { query: '' },
      { query: ' ' },
      { query: '# only a comment' },
      { query: '{' },
      { query: '}' },
      { query: '{ me { id }' },
      { query: 'query ($a: Int = "x") { me { id } }' },
      { query: 'query ($a: Int, $a: Int) { chats(first: $a) { pageInfo { hasNextPage } } }' },
      { query: 'query ($a: NotAType) { me { id } }' },
      { query: 'query { me { id(arg: 1) } }' },
      { query: 'query { me { ...on Chat { id } } }' },
      { query: 'query { me { id } } fragment Unused on User { id }' },
      { query: 'query { me @skip(if: true) { id } }' },
      {
        query:
          'query { chats { edges { node { messages(first: 20) { edges { node { readBy { id } } } } members { user { id } } } } } }',
      },
      {
        query:
          'query { chats(first: 50) { edges { node { messages(first: 100) { edges { node { readBy { id } } } } } } } }',
      },
      { query: 'query { users(first: 50) { edges { node { avatar { url(variant: ORIGINAL) } } } } }' },
      { query: 'schema { query: Query }' },
      { query: 'type Query { x: Int }' },
      { query: 'extend type Query { x: Int } query { x }' },
      { query: 'query { me { id } } # \u0000' },
      { query: 'query { me { id \u0000 } }' },
      { query: 'query { me { id\ufeff } }' },
      { query: 'query { me { "\ud800" } }' },
      { query: 'query { user(id: "\\ud800") { id } }' },
      { query: 'query { user(id: """\u0007""") { id } }' },
      { query: 'SELECT * FROM users;' },
      { query: '<?xml version="1.0"?><a/>' },
    ),
    fc.string({ unit: 'binary', maxLength: 200 }).map((query) => ({ query })),
  );
  return documents.map(({ operation, query, operationName }) => ({
    operation: operation ?? (query.trimStart().startsWith('mutation') ? 'mutation' : 'query'),
    field: '(document shape)',
    request: operationName === undefined ? { query } : { query, operationName },
  }));
}

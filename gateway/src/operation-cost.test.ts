import { readFileSync } from 'node:fs';
import { buildSchema, getOperationAST, getVariableValues, Kind, parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_COST, operationCost, UNSPECIFIED_PAGE_SIZE_FOR_COST } from './operation-cost.ts';

const schema = buildSchema(`
  type Query { chats(first: Int = 20, after: String): ChatConnection! chat(id: ID!): Chat }
  type ChatConnection { edges: [ChatEdge!]! }
  type ChatEdge { node: Chat! }
  type Chat { id: ID! members: [Member!]! messages(first: Int, last: Int): MessageConnection! }
  type Member { name: String! }
  type MessageConnection { edges: [MessageEdge!]! }
  type MessageEdge { node: Message! }
  type Message { id: ID! text: String }
`);

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0]!;
  return operationCost(schema, document, operation, coerced.coerced);
}

describe('operationCost', () => {
  it('multiplies by first/last whether written as a literal, a variable or a default', () => {
    const literal = cost('{ chat(id: "1") { messages(first: 50) { edges { node { id text } } } } }');
    expect(
      cost('query($n: Int) { chat(id: "1") { messages(first: $n) { edges { node { id text } } } } }', { n: 50 }),
    ).toEqual(literal);
    expect(
      cost('query($n: Int = 50) { chat(id: "1") { messages(first: $n) { edges { node { id text } } } } }'),
    ).toEqual(literal);
    expect(
      cost('query($n: Int) { chat(id: "1") { messages(last: $n) { edges { node { id text } } } } }', { n: 50 }),
    ).toEqual(literal);
    // chat 2 + messages 50 × (2 + edges 2 + node 2 + 2 scalars)
    expect(literal.cost).toBe(2 + 50 * 8);
  });

  it('takes the argument’s default, or the largest page when there is neither', () => {
    expect(cost('{ chats { edges { node { id } } } }').cost).toBe(20 * (2 + 2 + 2 + 1));
    expect(cost('{ chat(id: "1") { messages { edges { node { id } } } } }').cost).toBe(
      2 + UNSPECIFIED_PAGE_SIZE_FOR_COST * 7,
    );
  });

  it('costs a chat-sized list at its largest size, and flags a large page inside a list', () => {
    expect(cost('{ chat(id: "1") { members { name } } }').cost).toBe(2 + 256 * 3);
    expect(
      cost('{ chats(first: 5) { edges { node { messages(first: 21) { edges { node { id } } } } } } }').nestedPage,
    ).toEqual({ field: 'Chat.messages', size: 21 });
    expect(
      cost('{ chats(first: 5) { edges { node { messages(first: 20) { edges { node { id } } } } } } }').nestedPage,
    ).toBeUndefined();
  });

  it('counts fragments where they are spread', () => {
    const inline = cost('{ chat(id: "1") { id members { name } } }');
    expect(cost('{ chat(id: "1") { ...C } } fragment C on Chat { id members { name } }')).toEqual(inline);
  });

  it('lets every operation of the SDK through at its largest pages (the heaviest, a page of 100 messages with who read each and its reactions, costs 93,800)', () => {
    const api = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));
    const operations = parse(
      ['chat', 'live', 'media', 'user']
        .map((name) => readFileSync(new URL(`../../schema/operations/${name}.graphql`, import.meta.url), 'utf8'))
        .join('\n'),
    );
    const fragments = operations.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
    const costs: Record<string, { cost: number; nestedPage?: unknown }> = {};
    for (const operation of operations.definitions) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const pages = Object.fromEntries(
        (operation.variableDefinitions ?? []).flatMap((definition) => {
          const name = definition.variable.name.value;
          // The largest page each list allows: chats and people 50, messages 100, a reaction's people 20.
          const largest = { Chats: 50, Users: 50, ReactionUsers: 20 }[operation.name!.value] ?? 100;
          return name === 'first' || name === 'last' ? [[name, largest]] : [];
        }),
      );
      const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
      costs[operation.name!.value] = operationCost(api, document, operation, pages);
    }
    expect(Object.entries(costs).filter(([, cost]) => cost.cost > MAX_QUERY_COST || cost.nestedPage)).toEqual([]);
    expect(costs.Messages?.cost).toBe(94_600);
  });
});

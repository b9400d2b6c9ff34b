import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLError, Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  holdsAnyKey,
  viewerDependentKeys,
  EntityRef,
  executePayload,
  isGoneForViewer,
  standalone,
  VIEWER_DEPENDENT_FIELDS,
} from './payload.ts';

const schema = buildSchema(`
  type Query { message(id: ID!): Message, user(id: ID!): User, chat(id: ID!): Chat }
  type Subscription { messageAdded: Message!, typing: TypingEvent! }
  type Message { id: ID!, text: String, sender: User!, chat: Chat! }
  type User { id: ID!, displayName: String!, email: String }
  type Chat { id: ID!, unreadCount: Int!, kind: String! }
  type TypingEvent { chatId: ID!, user: User! }
`);

describe('executePayload', () => {
  it('runs the selection on a reference as one query, with aliases, fragments and variables kept', async () => {
    const document = parse(`
      subscription Live($withText: Boolean!) {
        added: messageAdded { __typename ...Parts from: sender { name: displayName } }
      }
      fragment Parts on Message { id body: text @include(if: $withText) }
    `);
    const queries: { query: string; variables: Record<string, unknown> }[] = [];
    const result = await executePayload({
      schema,
      document,
      variableValues: { withText: true },
      root: { messageAdded: new EntityRef('message', 'c:7') },
      requeryName: 'Internal',
      run: async (query, variables) => {
        queries.push({ query, variables });
        return { data: { r: { __typename: 'Message', id: 'c:7', body: 'hi', from: { name: 'Alice' } } } };
      },
    });
    expect(result).toEqual({
      data: { added: { __typename: 'Message', id: 'c:7', body: 'hi', from: { name: 'Alice' } } },
    });
    expect(queries).toHaveLength(1);
    expect(queries[0]!.variables).toEqual({ __id: 'c:7', withText: true });
    const requery = parse(queries[0]!.query);
    expect(
      requery.definitions.map((definition) => ('name' in definition ? definition.name?.value : undefined)),
    ).toEqual(['Internal', 'Parts']);
  });

  it('reads the event’s own values by field name and resolves only the references', async () => {
    const run = async () => ({ data: { r: { displayName: 'Bob' } } });
    const result = await executePayload({
      schema,
      document: parse('subscription { typing { chat: chatId user { displayName } } }'),
      variableValues: {},
      root: { typing: { chatId: 'c', user: new EntityRef('user', 'u') } },
      requeryName: 'Internal',
      run,
    });
    expect(result).toEqual({ data: { typing: { chat: 'c', user: { displayName: 'Bob' } } } });
  });

  it('keeps a partial result when a field of another subgraph fails, with the error at the subscriber’s path', async () => {
    const result = await executePayload({
      schema,
      document: parse('subscription { added: messageAdded { id text } }'),
      variableValues: {},
      root: { messageAdded: new EntityRef('message', 'c:7') },
      requeryName: 'Internal',
      run: async () => ({
        data: { r: { id: 'c:7', text: null } },
        errors: [
          {
            message: 'The preview subgraph is down.',
            path: ['r', 'text'],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ] as never,
      }),
    });
    expect(result.data).toEqual({ added: { id: 'c:7', text: null } });
    expect(
      result.errors?.map((error) => ({ message: error.message, path: error.path, code: error.extensions?.code })),
    ).toEqual([{ message: 'The preview subgraph is down.', path: ['added', 'text'], code: 'INTERNAL_SERVER_ERROR' }]);
  });

  it('turns a failed reference into an error with the subgraph’s code', async () => {
    const result = await executePayload({
      schema,
      document: parse('subscription { messageAdded { id } }'),
      variableValues: {},
      root: { messageAdded: new EntityRef('message', 'gone:1') },
      requeryName: 'Internal',
      run: async () => ({
        data: null,
        errors: [{ message: 'No such message.', extensions: { code: 'NOT_FOUND' } }] as never,
      }),
    });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('isGoneForViewer', () => {
  const failed = (...codes: string[]) => ({
    data: null,
    errors: codes.map((code) => new GraphQLError('x', { extensions: { code } })),
  });
  it('skips an event the viewer may no longer see, and reports any other failure', () => {
    expect(isGoneForViewer(failed('NOT_FOUND'))).toBe(true);
    expect(isGoneForViewer(failed('FORBIDDEN'))).toBe(true);
    expect(isGoneForViewer({ data: null })).toBe(true);
    expect(isGoneForViewer(failed('INTERNAL_SERVER_ERROR'))).toBe(false);
    expect(isGoneForViewer(failed('NOT_FOUND', 'INTERNAL_SERVER_ERROR'))).toBe(false);
    expect(isGoneForViewer({ data: { messageAdded: { id: 'c:1' } } })).toBe(false);
  });
});

describe('viewerDependentKeys', () => {
  it('names nothing unless the selection reaches a field that differs per viewer', () => {
    const dependsOnViewer = (document: ReturnType<typeof parse>) => viewerDependentKeys(schema, document).size > 0;
    expect(dependsOnViewer(parse('subscription { messageAdded { id sender { displayName } chat { id kind } } }'))).toBe(
      false,
    );
    expect(dependsOnViewer(parse('subscription { messageAdded { chat { unreadCount } } }'))).toBe(true);
    expect(dependsOnViewer(parse('subscription { messageAdded { sender { email } } }'))).toBe(true);
  });

  it('names the response keys of viewer-dependent fields, and finds them in a result, null values too', () => {
    const schema = buildSchema(readFileSync(new URL('../../../schema/api.graphql', import.meta.url), 'utf8'));
    const document = parse(
      'subscription { messageAdded { id mine: reactions { emoji reacted: viewerReacted } chat { unreadCount } } }',
    );
    const keys = viewerDependentKeys(schema, document);
    expect([...keys].sort()).toEqual(['reacted', 'unreadCount']);
    // A message without reactions in a selection without the chat reads the same for everyone.
    const withoutChat = viewerDependentKeys(
      schema,
      parse('subscription { messageAdded { id reactions { viewerReacted } } }'),
    );
    expect(holdsAnyKey({ messageAdded: { id: 'c:1', reactions: [] } }, withoutChat)).toBe(false);
    expect(holdsAnyKey({ messageAdded: { id: 'c:1', reactions: [{ viewerReacted: false }] } }, withoutChat)).toBe(true);
    expect(holdsAnyKey({ messageAdded: { chat: { unreadCount: null } } }, keys)).toBe(true);
    expect(holdsAnyKey({ messageAdded: null }, keys)).toBe(false);
  });

  it('knows fields of the API schema only: a field renamed there is not left shared between viewers', () => {
    const api = buildSchema(readFileSync(new URL('../../../schema/api.graphql', import.meta.url), 'utf8'));
    for (const name of VIEWER_DEPENDENT_FIELDS) {
      const [type, field] = name.split('.');
      const fields = api.getType(type!);
      expect(fields && 'getFields' in fields ? fields.getFields()[field!] : undefined, name).toBeDefined();
    }
  });
});

describe('standalone', () => {
  it('keeps only the fragments and variables a sub-selection uses', () => {
    const document = parse(`
      subscription ($a: Boolean!, $b: Boolean!) { messageAdded { ...One } typing { chatId @include(if: $b) } }
      fragment One on Message { id @include(if: $a) ...Two }
      fragment Two on Message { text }
      fragment Unused on Message { id }
    `);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const field = operation.selectionSet.selections[0] as FieldNode;
    const fragments = Object.fromEntries(
      document.definitions.flatMap((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
      ),
    );
    const part = standalone(field.selectionSet!, fragments, operation.variableDefinitions ?? []);
    expect(part.variables.map((definition) => definition.variable.name.value)).toEqual(['a']);
    expect(part.fragments).toContain('fragment One');
    expect(part.fragments).toContain('fragment Two');
    expect(part.fragments).not.toContain('Unused');
  });
});

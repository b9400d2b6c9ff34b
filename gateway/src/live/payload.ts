import {
  execute,
  GraphQLError,
  Kind,
  print,
  responsePathAsArray,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Runs a query through the gateway's planner as a given viewer. */
export type RunQuery = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

/** The root query fields that fetch one entity by id, for the references events carry. */
export type EntityQuery = 'message' | 'chat' | 'user' | 'call' | 'presence';

/**
 * A reference, in a payload built from an event, to an entity the planner resolves: the subscriber's
 * selection on that field is run as `query { r: <query>(<argument>: $__id) <selection> }` (`id` unless said
 * otherwise), so fields owned by any subgraph resolve as in any query, with the viewer's authorization.
 */
export class EntityRef {
  constructor(
    readonly query: EntityQuery,
    readonly id: string,
    readonly argument = 'id',
  ) {}
}

/** Objects that came back from a query: their fields are read by response key (the alias), not by name. */
const resolvedByQuery = new WeakSet<object>();

/** Marks a query result (and everything in it) as read by response key. */
export function markResolved(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (!Array.isArray(value)) resolvedByQuery.add(value);
  for (const child of Object.values(value)) markResolved(child);
}

/**
 * Fields whose value differs between viewers: a chat's name and counterpart (the other person, in a
 * direct chat), unread count and the viewer's role; whether the viewer reacted with an emoji; an email,
 * shown to its owner only; a person's presence (who may see it, hidden, blocked). A selection that
 * reaches one of them is resolved per viewer; any other is shared by every subscriber of the event (they
 * are all members of the chat, so they may all see the rest).
 */
export const VIEWER_DEPENDENT_FIELDS = new Set([
  'Chat.name',
  'Chat.counterpart',
  'Chat.unreadCount',
  'Chat.viewerRole',
  'Chat.muted',
  'Chat.mutedUntil',
  'Reaction.viewerReacted',
  'User.email',
  'User.presence',
  'Presence.status',
  'Presence.lastSeenAt',
  'Presence.hidden',
]);

/**
 * The response keys (aliases, or names) under which a document selects viewer-dependent fields; empty when it
 * selects none. A payload whose result holds none of them was resolved the same for every member, whoever's
 * authorization made it: a message without reactions, say, though the selection asks for `viewerReacted`.
 */
export function viewerDependentKeys(schema: GraphQLSchema, document: DocumentNode): ReadonlySet<string> {
  const typeInfo = new TypeInfo(schema);
  const keys = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && VIEWER_DEPENDENT_FIELDS.has(`${parent.name}.${node.name.value}`))
          keys.add(node.alias?.value ?? node.name.value);
      },
    }),
  );
  return keys;
}

/** Whether any object in `value` has one of `keys` (null values count: a null counterpart is the viewer's too). */
export function holdsAnyKey(value: unknown, keys: ReadonlySet<string>): boolean {
  if (keys.size === 0 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => holdsAnyKey(item, keys));
  for (const [key, child] of Object.entries(value)) {
    if (keys.has(key) || holdsAnyKey(child, keys)) return true;
  }
  return false;
}

/** The selection set, fragment definitions and variable definitions a sub-selection needs on its own. */
export function standalone(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variableDefinitions: readonly VariableDefinitionNode[],
) {
  const usedFragments = new Map<string, FragmentDefinitionNode>();
  const usedVariables = new Set<string>();
  const walk = (node: SelectionSetNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments[name];
        if (fragment && !usedFragments.has(name)) {
          usedFragments.set(name, fragment);
          walk(fragment);
        }
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  walk(selectionSet);
  return {
    selection: print(selectionSet),
    fragments: [...usedFragments.values()].map((fragment) => print(fragment)).join('\n'),
    variables: variableDefinitions.filter((definition) => usedVariables.has(definition.variable.name.value)),
  };
}

/**
 * Runs the subscriber's selection on one field as a query on `root(id:)`; the result is marked resolved.
 * A partial result (a field of another subgraph failed) is kept, and its errors go to `partialErrors` with
 * their paths in the subscriber's own result, as a query would report them.
 */
async function requery(
  ref: EntityRef,
  info: GraphQLResolveInfo,
  run: RunQuery,
  name: string,
  partialErrors: GraphQLError[],
): Promise<unknown> {
  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []),
  };
  const { selection, fragments, variables } = standalone(
    selectionSet,
    info.fragments,
    info.operation.variableDefinitions ?? [],
  );
  const declarations = ['$__id: ID!', ...variables.map((definition) => print(definition))].join(', ');
  const values: Record<string, unknown> = { __id: ref.id };
  for (const definition of variables)
    values[definition.variable.name.value] = info.variableValues[definition.variable.name.value];
  const result = await run(
    `query ${name}(${declarations}) { r: ${ref.query}(${ref.argument}: $__id) ${selection} }\n${fragments}`,
    values,
  );
  const data = (result.data as { r?: unknown } | null | undefined)?.r ?? null;
  if (data === null && result.errors?.length) {
    const [first] = result.errors;
    throw new GraphQLError(first?.message ?? 'Not found.', { extensions: first?.extensions ?? {} });
  }
  const at = responsePathAsArray(info.path);
  for (const error of result.errors ?? []) {
    partialErrors.push(
      new GraphQLError(error.message, {
        path: [...at, ...(error.path ?? []).slice(1)],
        extensions: error.extensions ?? {},
      }),
    );
  }
  markResolved(data);
  return data;
}

/**
 * Executes a subscription's selection on one event: `root` holds the event's own values under field
 * names and {@link EntityRef}s where the planner must resolve; values that came from a query are read by
 * response key. graphql-js does the rest (aliases, fragments, `__typename`, directives, null checks).
 */
export async function executePayload(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null | undefined;
  variableValues: Record<string, unknown>;
  root: Record<string, unknown>;
  run: RunQuery;
  /** The name given to the re-queries (see LiveOptions.operationName). */
  requeryName: string;
}): Promise<ExecutionResult> {
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    if (source === null || typeof source !== 'object') return null;
    const fields = source as Record<string, unknown>;
    const value = resolvedByQuery.has(source) ? fields[String(info.path.key)] : fields[info.fieldName];
    return value instanceof EntityRef ? requery(value, info, options.run, options.requeryName, partialErrors) : value;
  };
  const partialErrors: GraphQLError[] = [];
  const result = await execute({
    schema: options.schema,
    document: options.document,
    rootValue: options.root,
    variableValues: options.variableValues,
    operationName: options.operationName ?? null,
    fieldResolver,
  });
  return partialErrors.length > 0 ? { ...result, errors: [...(result.errors ?? []), ...partialErrors] } : result;
}

/** Codes that mean "this is not (or no longer) yours to see": the event is skipped, not reported. */
const GONE_CODES = new Set(['NOT_FOUND', 'FORBIDDEN']);

/** Whether every error says the thing is not (or no longer) the viewer's to see. */
export function onlyGone(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): boolean {
  return (errors ?? []).every((error) => GONE_CODES.has(String(error.extensions?.code)));
}

/** Whether an error means the chat is not (or no longer) the viewer's: its replay is skipped, not retried. */
export const isGoneError = (error: unknown) => error instanceof GraphQLError && onlyGone([error]);

/**
 * Whether a payload that resolved to nothing is about something the viewer may no longer see (removed from
 * the chat a moment ago, the message gone): such an event is skipped. Any other failure (a subgraph down) is
 * {@link isUnresolved}: retried, then reported.
 */
export function isGoneForViewer(result: ExecutionResult): boolean {
  if (result.data !== null && result.data !== undefined) return false;
  return onlyGone(result.errors);
}

/** A payload that resolved to nothing for another reason than the viewer's access (a subgraph down, a timeout). */
export function isUnresolved(result: ExecutionResult): boolean {
  return (result.data === null || result.data === undefined) && !onlyGone(result.errors);
}

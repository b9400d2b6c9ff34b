import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The largest estimated result an operation may ask for (see {@link operationCost}). */
export const MAX_QUERY_COST = 100_000;
/**
 * The largest page a paged list may ask for inside another list (`chats { … messages(first:) }`): a page
 * of chats each with its page of messages is a screenful, not an export.
 */
export const MAX_NESTED_PAGE_SIZE = 20;
/** What a paged list (`first`/`last`) counts as when the operation gives neither: the largest page allowed. */
export const UNSPECIFIED_PAGE_SIZE_FOR_COST = 100;
/**
 * Lists without paging whose length grows with a chat, each costed at its largest possible size
 * (`MAX_GROUP_MEMBERS` of the message subgraph): every entry resolves a `User` in another subgraph.
 * Other unpaged lists (a message's paragraphs, a call's ICE servers) come whole from the row already read.
 */
const UNPAGED_LIST_SIZES: Record<string, number> = {
  'Chat.members': 256,
  'Chat.readMarks': 256,
  'Message.readBy': 256,
  // MAX_REACTION_EMOJI_PER_MESSAGE of the message subgraph: distinct emoji, each with its own `users(first:)`.
  'Message.reactions': 20,
  // MAX_PINNED_MESSAGES_PER_CHAT.
  'Chat.pinned': 50,
  // MAX_BLOCKED_USERS.
  'Query.blockedUsers': 1000,
};
const OBJECT_COST = 2;
const SCALAR_COST = 1;

/**
 * An estimate of how much an operation may make the servers resolve: every scalar counts 1, every object
 * 2 plus its selection, and a list multiplies its items' cost by its size: the `first`/`last` the
 * operation gives (a literal, a variable's coerced value or the argument's default alike), the largest
 * page when it gives neither, or a chat-sized list's largest size. Nested lists multiply, so
 * `chats(first: $n) { … messages(first: $n) { … } }` costs what it may return whichever way it is written.
 * Introspection costs nothing (graphql-js bounds it). `variables` must be coerced already.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { cost: number; nestedPage?: { field: string; size: number } } {
  let nestedPage: { field: string; size: number } | undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0 };

  /** `inList`: whether this selection repeats for the items of a list above it. */
  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    visiting: Set<string>,
    inList: boolean,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const fieldDef = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!fieldDef) continue;
        const type = getNamedType(fieldDef.type);
        if (!selection.selectionSet || !isCompositeType(type)) {
          cost += SCALAR_COST;
          continue;
        }
        const { size, paged } = listSize(parent.name, fieldDef, selection, variables);
        if (paged && inList && size > MAX_NESTED_PAGE_SIZE)
          nestedPage ??= { field: `${parent.name}.${fieldDef.name}`, size };
        cost += size * (OBJECT_COST + selectionCost(selection.selectionSet, type, visiting, inList || size > 1));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selectionCost(
          selection.selectionSet,
          condition && isCompositeType(condition) ? condition : parent,
          visiting,
          inList,
        );
        continue;
      }
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment that spreads itself is refused by validation; here it simply adds nothing more.
      if (!fragment || visiting.has(name)) continue;
      const condition = schema.getType(fragment.typeCondition.name.value);
      visiting.add(name);
      cost += selectionCost(
        fragment.selectionSet,
        condition && isCompositeType(condition) ? condition : parent,
        visiting,
        inList,
      );
      visiting.delete(name);
    }
    return cost;
  };
  const cost = selectionCost(operation.selectionSet, root, new Set(), false);
  return nestedPage ? { cost, nestedPage } : { cost };
}

function listSize(
  parentName: string,
  fieldDef: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): { size: number; paged: boolean } {
  const paged = fieldDef.args.some((arg) => arg.name === 'first' || arg.name === 'last');
  if (paged) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(fieldDef, node, variables);
    } catch {
      // Execution refuses the same arguments; until then, cost them at the largest page.
      return { size: UNSPECIFIED_PAGE_SIZE_FOR_COST, paged };
    }
    const sizes = [args.first, args.last].filter((value): value is number => typeof value === 'number');
    return { size: sizes.length ? Math.max(1, ...sizes) : UNSPECIFIED_PAGE_SIZE_FOR_COST, paged };
  }
  if (isListType(getNullableType(fieldDef.type)))
    return { size: UNPAGED_LIST_SIZES[`${parentName}.${fieldDef.name}`] ?? 1, paged };
  return { size: 1, paged };
}

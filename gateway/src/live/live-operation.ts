import {
  getArgumentValues,
  getOperationAST,
  GraphQLError,
  Kind,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { LiveEvent } from '@letstalk/events';
import { standalone } from './payload.ts';

type LiveField =
  'messageAdded' | 'messageUpdated' | 'chatRead' | 'typing' | 'chatUpdated' | 'callEvents' | 'presenceChanged';
const FIELDS = new Set<string>([
  'messageAdded',
  'messageUpdated',
  'chatRead',
  'typing',
  'chatUpdated',
  'callEvents',
  'presenceChanged',
]);
/** Which live event feeds which subscription field. */
const FIELD_OF: Record<LiveEvent['kind'], LiveField> = {
  messageAdded: 'messageAdded',
  messageUpdated: 'messageUpdated',
  chatRead: 'chatRead',
  typing: 'typing',
  chatUpdated: 'chatUpdated',
  call: 'callEvents',
  presence: 'presenceChanged',
};

/** What live delivery needs to know of one subscription operation. */
export interface LiveOperation {
  field: LiveField;
  /** The chat the subscription follows; undefined when it follows every chat of the viewer. */
  chatId: string | undefined;
  /** Where `messageAdded` resumes: a cursor of `chatId`, or the last message id seen of each chat. */
  after: string | null | undefined;
  since: string[] | null | undefined;
  operation: OperationDefinitionNode;
  /** The coerced values of the variables the operation declares (see OperationLimits.prepare). */
  variableValues: Record<string, unknown>;
  /** The field's selection, with the fragments and variables it uses, to be run on its own. */
  selection: ReturnType<typeof standalone>;
}

/** The one root field of a subscription operation (validation guarantees there is exactly one). */
function rootField(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
    if (inner) return rootField(inner, fragments);
  }
  throw new GraphQLError('A subscription selects one field.');
}

const isLiveField = (field: string): field is LiveField => FIELDS.has(field);

/** Reads a validated subscription operation; one on a field that is not live is refused. */
export function readLiveOperation(args: ExecutionArgs): LiveOperation {
  const operation = getOperationAST(args.document, args.operationName) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    args.document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const fieldNode = rootField(operation.selectionSet, fragments);
  const field = fieldNode.name.value;
  if (!isLiveField(field)) throw new GraphQLError(`${field} is not a live field.`);
  const fieldDef = args.schema.getSubscriptionType()?.getFields()[field];
  if (!fieldDef) throw new GraphQLError(`${field} is not a live field.`);
  const variableValues = (args.variableValues ?? {}) as Record<string, unknown>;
  const fieldArgs = getArgumentValues(fieldDef, fieldNode, variableValues) as {
    chatId?: string | null;
    after?: string | null;
    since?: string[] | null;
  };
  return {
    field,
    chatId: fieldArgs.chatId ?? undefined,
    after: fieldArgs.after,
    since: fieldArgs.since,
    operation,
    variableValues,
    selection: standalone(
      fieldNode.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
      fragments,
      operation.variableDefinitions ?? [],
    ),
  };
}

/** Whether an event feeds the subscription's field (whichever chat it is about). */
export const feedsField = (event: LiveEvent, live: LiveOperation) => FIELD_OF[event.kind] === live.field;

/** Whether an event removes the viewer from the one chat the subscription follows (which ends it). */
export const removesFollowedChat = (event: LiveEvent, live: LiveOperation) =>
  event.kind === 'chatUpdated' && event.change === 'REMOVED' && event.chatId === live.chatId;

/** Whether an event is the subscription's to handle: of its field and chat, or the removal of its chat. */
export const isFollowed = (event: LiveEvent, live: LiveOperation) =>
  (feedsField(event, live) && (live.chatId === undefined || ('chatId' in event && event.chatId === live.chatId))) ||
  removesFollowedChat(event, live);

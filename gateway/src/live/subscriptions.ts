import {
  getArgumentValues,
  getOperationAST,
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { appError, badUserInput, forbidden, unavailable } from '@letstalk/errors';
import type { LiveEvent } from '@letstalk/events';
import type { GatewayContext } from '../context.ts';
import { MAX_QUERY_COST, operationCost } from '../operation-cost.ts';
import type { LiveHub } from './hub.ts';
import {
  dependsOnViewer,
  EntityRef,
  executePayload,
  isGoneForViewer,
  isUnresolved,
  markResolved,
  onlyGone,
  standalone,
  type RunQuery,
} from './payload.ts';

/** Live events one subscription may have waiting while earlier ones resolve; past it the socket is too slow. */
export const MAX_PENDING_EVENTS = 1_000;
/** Chats one `messageAdded(since:)` may resume at once. */
export const MAX_RESUME_CHATS = 100;
/**
 * Default of GATEWAY_MAX_REPLAY_MESSAGES: messages one `messageAdded` replays from `after`/`since` before it
 * starts: past them it ends with
 * `UNAVAILABLE` (`extensions.reason: REPLAY_LIMIT`), and the client resumes from the last cursor it received
 * for the next ones, so no single subscription (nor a client that subscribes in a loop) costs more than that.
 */
export const MAX_REPLAY_MESSAGES = 1_000;
/**
 * Messages fetched per query while replaying what a subscriber missed, at most: fewer when the
 * subscriber's selection is costly, so that one replay query stays within MAX_QUERY_COST.
 */
export const REPLAY_PAGE_SIZE = 100;
/** How long a payload shared between the subscribers of one event is kept for latecomers. */
export const SHARED_PAYLOAD_TTL_MS = 10_000;
/**
 * Waits before the payload of an event is made again when it resolved to nothing for another reason than
 * the viewer's access (a subgraph down or timing out): about 6 s in all, then the failure is reported.
 */
export const PAYLOAD_RETRY_DELAYS_MS = [200, 400, 800, 1600, 3200];
/**
 * No retry starts later than this after the first try: a subgraph that hangs (each try waiting for
 * GATEWAY_SUBGRAPH_TIMEOUT_MS) does not hold an event for minutes.
 */
export const PAYLOAD_RETRY_WINDOW_MS = 8_000;

/** A subscription ends with this when what it must deliver cannot be read: the client resumes from its cursor. */
const RESUME_LATER = 'Live delivery could not read what it must send; resume from the last cursor you received.';

/** Whether an error means the chat is not (or no longer) the viewer's: its replay is skipped, not retried. */
const isGone = (error: unknown) => error instanceof GraphQLError && onlyGone([error]);

/** A payload and its JSON, made once and written to every subscriber it is shared with. */
export interface Payload {
  result: ExecutionResult;
  json: string;
}

/**
 * A payload being made for the subscribers of one event. They wait for it together: when it is made,
 * every waiter runs in one synchronous loop (thousands of subscribers cost a loop, not a microtask each).
 */
export class SharedPayload {
  value: Payload | undefined;
  error: unknown;
  failed = false;
  private waiters: (() => void)[] | undefined = [];

  /** `madeBy`: the viewer whose authorization the payload was made with. */
  constructor(
    made: Promise<Payload>,
    readonly madeBy: string,
  ) {
    made.then(
      (value) => {
        this.value = value;
        this.settle();
      },
      (error: unknown) => {
        this.failed = true;
        this.error = error;
        this.settle();
      },
    );
  }

  get settled(): boolean {
    return this.waiters === undefined;
  }

  /** Calls `then` once the payload is made (at once when it is). */
  wait(then: () => void): void {
    if (this.waiters) this.waiters.push(then);
    else then();
  }

  private settle(): void {
    const waiters = this.waiters ?? [];
    this.waiters = undefined;
    for (const then of waiters) then();
  }
}

/** One payload per (event, operation, and viewer when the selection depends on the viewer). */
export class SharedPayloads {
  private readonly payloads = new Map<string, SharedPayload>();
  /**
   * The operations of running subscriptions (document, name and the values of the variables it declares)
   * by a short number, so a payload key is cheap to build and hash; an entry lives as long as a
   * subscription uses it. Numbers are never reused: a payload made for an operation that ended can
   * never be served to a new one.
   */
  private readonly operations = new Map<string, { key: number; users: number }>();
  private nextKey = 0;

  /** The key of an operation, held until the returned `release` is called (once). */
  acquire(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
  ): { key: number; release: () => void } {
    const text = `${print(document)}\n${operationName ?? ''}\n${JSON.stringify(variables)}`;
    let entry = this.operations.get(text);
    if (!entry) {
      entry = { key: this.nextKey++, users: 0 };
      this.operations.set(text, entry);
    }
    entry.users += 1;
    const held = entry;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0 && this.operations.get(text) === held) this.operations.delete(text);
    };
    return { key: held.key, release };
  }

  /** Operations in use by running subscriptions. */
  get operationCount(): number {
    return this.operations.size;
  }

  get(key: string, madeBy: string, make: () => Promise<ExecutionResult>): SharedPayload {
    let payload = this.payloads.get(key);
    if (!payload) {
      payload = new SharedPayload(
        make().then((result) => ({ result, json: JSON.stringify(result) })),
        madeBy,
      );
      this.payloads.set(key, payload);
      setTimeout(() => this.payloads.delete(key), SHARED_PAYLOAD_TTL_MS).unref();
    }
    return payload;
  }
}

export interface LiveOptions {
  hub: LiveHub;
  /**
   * The name of the queries the gateway builds itself: they skip the client-facing limits (depth, cost),
   * which the subscriber's own operation has passed already.
   */
  operationName: string;
  shared: SharedPayloads;
  /** See {@link MAX_REPLAY_MESSAGES}. */
  maxReplayMessages: number;
  /** Runs a query through the planner with a subscriber's context. */
  run: (query: string, variables: Record<string, unknown>, context: GatewayContext) => Promise<ExecutionResult>;
  /** Called when a subscription falls {@link MAX_PENDING_EVENTS} behind. */
  onOverflow: (context: GatewayContext) => void;
  /**
   * Writes one result (as JSON) to the subscriber's socket as a graphql-ws `next` message; false when the
   * socket is gone or too slow, which ends the subscription.
   */
  deliver: (context: GatewayContext, json: string) => boolean;
}

type Field = 'messageAdded' | 'messageUpdated' | 'chatRead' | 'typing' | 'chatUpdated' | 'callEvents';
const FIELDS = new Set<string>(['messageAdded', 'messageUpdated', 'chatRead', 'typing', 'chatUpdated', 'callEvents']);
/** Which live event feeds which subscription field. */
const FIELD_OF: Record<LiveEvent['kind'], Field> = {
  messageAdded: 'messageAdded',
  messageUpdated: 'messageUpdated',
  chatRead: 'chatRead',
  typing: 'typing',
  chatUpdated: 'chatUpdated',
  call: 'callEvents',
};

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

const seqOf = (value: unknown, field: string) => {
  const text = String(value);
  if (!/^\d{1,15}$/.test(text)) throw badUserInput('Not a cursor this server gave out.', field);
  return Number(text);
};

/** What a client needs to read an event again when its payload could not be made. */
function eventIds(event: LiveEvent): Record<string, unknown> {
  const { id: _id, ...ids } = event;
  return ids;
}

/** The payload built from an event: its own values, and references where the planner resolves. */
function rootOf(event: LiveEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'messageAdded':
    case 'messageUpdated':
      return { [event.kind]: new EntityRef('message', event.messageId) };
    case 'chatRead':
      return {
        chatRead: {
          chatId: event.chatId,
          user: new EntityRef('user', event.userId),
          lastReadSeq: event.readSeq,
          lastReadMessageId: event.readSeq > 0 ? `${event.chatId}:${event.readSeq}` : null,
        },
      };
    case 'typing':
      return {
        typing: { chatId: event.chatId, user: new EntityRef('user', event.userId), expiresAt: event.expiresAt },
      };
    case 'chatUpdated':
      return {
        chatUpdated: {
          kind: event.change,
          chatId: event.chatId,
          chat: event.change === 'REMOVED' ? null : new EntityRef('chat', event.chatId),
        },
      };
    case 'call':
      return {
        callEvents: { kind: event.event, call: new EntityRef('call', event.callId), candidate: event.candidate },
      };
  }
}

/**
 * Executes one subscription operation: listens on the viewer's live subject, and turns each matching
 * event into the subscriber's payload through the planner (shared between subscribers when it cannot
 * differ, and serialized once). Results are written straight to the socket ({@link LiveOptions.deliver}):
 * the iterator yields nothing, it ends when the subscription does, and `return()` (the client completed,
 * or the socket closed) ends it at once. `messageAdded` replays what the subscriber missed first
 * (`after`/`since`), keeps each chat in sequence order, drops duplicates, and fills a gap (a lost or
 * reordered live event) from the database.
 */
export function subscribeLive(args: ExecutionArgs, options: LiveOptions): AsyncIterableIterator<ExecutionResult> {
  let ended = false;
  let stopListening = () => {};
  let releaseOperation = () => {};
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Handled by whoever calls next(); this keeps an early failure from counting as unhandled.
  finished.catch(() => {});
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    stopListening();
    releaseOperation();
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  };

  async function start(): Promise<void> {
    const context = args.contextValue as GatewayContext;
    const viewer = context.viewer;
    if (!viewer) throw new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
    const schema: GraphQLSchema = args.schema;
    const operation = getOperationAST(args.document, args.operationName) as OperationDefinitionNode;
    const fragments = Object.fromEntries(
      args.document.definitions.flatMap((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
      ),
    );
    const fieldNode = rootField(operation.selectionSet, fragments);
    const field = fieldNode.name.value;
    if (!FIELDS.has(field)) throw new GraphQLError(`${field} is not a live field.`);
    const fieldDef = schema.getSubscriptionType()?.getFields()[field];
    if (!fieldDef) throw new GraphQLError(`${field} is not a live field.`);
    const variableValues = (args.variableValues ?? {}) as Record<string, unknown>;
    const fieldArgs = getArgumentValues(fieldDef, fieldNode, variableValues) as {
      chatId?: string | null;
      after?: string | null;
      since?: string[] | null;
    };
    const chatId = fieldArgs.chatId ?? undefined;

    const run: RunQuery = (query, variables) => options.run(query, variables, context);
    // Variables are coerced (OperationLimits.prepare): only those the operation declares, as their values.
    const held = options.shared.acquire(args.document, args.operationName, variableValues);
    releaseOperation = held.release;
    const operationKey = held.key;
    const viewerKey = dependsOnViewer(schema, args.document) ? viewer.userId : '';
    const payloadOf = (root: Record<string, unknown>) =>
      executePayload({
        schema,
        document: args.document,
        operationName: args.operationName,
        variableValues,
        root,
        run,
        requeryName: options.operationName,
      });
    /** Writes one payload; false ends the subscription (ended, or the socket is gone or too slow). */
    const deliver = (json: string) => !ended && options.deliver(context, json);

    // One message of the subscriber's selection costs about what its whole operation does (it passed the limit).
    const replayPageSize = Math.max(
      1,
      Math.min(
        REPLAY_PAGE_SIZE,
        Math.floor(MAX_QUERY_COST / (operationCost(schema, args.document, operation, variableValues).cost + 4)),
      ),
    );
    // messageAdded: the last sequence number delivered per chat.
    const lastSeq = new Map<string, number>();
    const selection = standalone(
      fieldNode.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
      fragments,
      operation.variableDefinitions ?? [],
    );

    /** Everything of a chat after `afterSeq`, oldest first, from the database through the planner. */
    /** Messages the `after`/`since` replay delivered (a gap filled later does not count). */
    let resumed = 0;
    async function replay(replayChatId: string, afterSeq: number, counted = false): Promise<boolean> {
      const declarations = [
        '$__chatId: ID!',
        '$__before: String',
        ...selection.variables.map((definition) => print(definition)),
      ];
      const query = `query ${options.operationName}(${declarations.join(', ')}) { r: messages(chatId: $__chatId, last: ${replayPageSize}, before: $__before) { pageInfo { hasPreviousPage } edges { cursor node ${selection.selection} } } }\n${selection.fragments}`;
      let before = String(afterSeq);
      for (;;) {
        const page = await run(query, { ...variableValues, __chatId: replayChatId, __before: before });
        const connection = (
          page.data as {
            r?: { pageInfo: { hasPreviousPage: boolean }; edges: { cursor: string; node: unknown }[] };
          } | null
        )?.r;
        if (!connection) {
          // Only "not yours" means the chat is gone for the viewer; anything else (a subgraph down) is
          // reported, so the client resumes from the same cursor instead of skipping the chat.
          if (page.errors?.length && onlyGone(page.errors)) throw forbidden('Only members of a chat can follow it.');
          throw unavailable(RESUME_LATER);
        }
        // A `last`/`before` page is newest first; replay goes oldest first.
        for (const edge of [...connection.edges].reverse()) {
          const seq = Number(edge.cursor);
          if (seq <= (lastSeq.get(replayChatId) ?? 0)) continue;
          if (counted && resumed++ >= options.maxReplayMessages) {
            throw appError(
              'UNAVAILABLE',
              `A subscription replays at most ${options.maxReplayMessages} messages: resume from the last cursor you received for the next ones.`,
              {
                reason: 'REPLAY_LIMIT',
              },
            );
          }
          markResolved(edge.node);
          lastSeq.set(replayChatId, seq);
          if (!deliver(JSON.stringify(await payloadOf({ messageAdded: edge.node })))) return false;
        }
        if (!connection.pageInfo.hasPreviousPage || connection.edges.length === 0) return true;
        before = connection.edges[0]!.cursor;
      }
    }

    // Live events wait here, in order, while a replay runs or the head event's payload is being made.
    const pending: LiveEvent[] = [];
    /**
     * The payload of an event, shared per (event, operation) unless `ownKey` or the selection depends on the
     * viewer. One that resolves to nothing for another reason than access is made again after each of
     * PAYLOAD_RETRY_DELAYS_MS (a subgraph restarting), once for every subscriber sharing it.
     */
    const payloadFor = (event: LiveEvent, ownKey = false) =>
      options.shared.get(
        `${event.id}|${operationKey}|${ownKey ? viewer.userId : viewerKey}`,
        viewer.userId,
        async () => {
          const retryUntil = Date.now() + PAYLOAD_RETRY_WINDOW_MS;
          let result = await payloadOf(rootOf(event));
          for (const delay of PAYLOAD_RETRY_DELAYS_MS) {
            if (!isUnresolved(result) || Date.now() + delay > retryUntil) break;
            await new Promise((resolve) => setTimeout(resolve, delay));
            result = await payloadOf(rootOf(event));
          }
          return result;
        },
      );
    let busy = true;
    /** The payload the head of `pending` waits for. */
    let waitingFor: SharedPayload | undefined;

    /** Delivers pending events in order until one must wait (for its payload or a replay). */
    const pump = (): void => {
      try {
        while (!busy && !ended) {
          const event = pending[0];
          if (!event) return;
          const removesFollowedChat =
            event.kind === 'chatUpdated' && event.change === 'REMOVED' && event.chatId === chatId;
          if (removesFollowedChat && field !== 'chatUpdated')
            return end(forbidden('You are no longer a member of this chat.'));
          if (event.kind === 'messageAdded' && !waitingFor) {
            const last = lastSeq.get(event.chatId);
            if (last !== undefined && event.seq <= last) {
              pending.shift();
              continue;
            }
            if (last !== undefined && event.seq > last + 1) {
              // The database holds everything after `last`, this event included.
              pending.shift();
              busy = true;
              replay(event.chatId, last).then(
                (open) => {
                  busy = false;
                  if (open) pump();
                  else end();
                },
                (error: unknown) => {
                  // Following every chat, one the viewer has just left is dropped; the others go on.
                  if (chatId !== undefined || !isGone(error)) return end(error);
                  lastSeq.delete(event.chatId);
                  busy = false;
                  pump();
                },
              );
              return;
            }
          }
          const payload = waitingFor ?? payloadFor(event);
          if (!payload.settled) {
            waitingFor = payload;
            busy = true;
            payload.wait(() => {
              busy = false;
              pump();
            });
            return;
          }
          waitingFor = undefined;
          if (payload.failed) return end(payload.error);
          const { result, json } = payload.value!;
          if (isGoneForViewer(result) && payload.madeBy !== viewer.userId) {
            // Made with another member's authorization, who may just have been removed: this viewer's own
            // answer decides.
            waitingFor = payloadFor(event, true);
            continue;
          }
          pending.shift();
          if (event.kind === 'messageAdded') lastSeq.set(event.chatId, event.seq);
          if (isGoneForViewer(result)) continue;
          if (isUnresolved(result)) {
            // Still unreadable after the retries. A message must not be lost: the subscription ends and the
            // client resumes from its last cursor (the database has it). Other events say what changed.
            if (event.kind === 'messageAdded') return end(unavailable(RESUME_LATER));
            if (!deliver(JSON.stringify({ ...result, extensions: { event: eventIds(event) } }))) return end();
            continue;
          }
          if (!deliver(json)) return end();
          if (removesFollowedChat) return end();
        }
      } catch (error) {
        end(error);
      }
    };

    // Listening starts before anything is read, so nothing published meanwhile is missed.
    stopListening = options.hub.listen(viewer.userId, (event) => {
      if (FIELD_OF[event.kind] !== field || (chatId !== undefined && event.chatId !== chatId)) {
        if (!(event.kind === 'chatUpdated' && event.change === 'REMOVED' && event.chatId === chatId)) return;
      }
      if (pending.length >= MAX_PENDING_EVENTS) {
        options.onOverflow(context);
        end();
        return;
      }
      pending.push(event);
      // Events queued behind others start their payloads now, so a subscriber that fell behind catches
      // up with several payloads ready at once.
      if (pending.length > 1 && FIELD_OF[event.kind] === field) payloadFor(event);
      pump();
    });

    if (chatId !== undefined) {
      const access = await run(`query ${options.operationName}($__id: ID!) { chat(id: $__id) { id } }`, {
        __id: chatId,
      });
      if (!access.data || access.errors?.length) {
        const invalid = access.errors?.find((error) => error.extensions?.code === 'BAD_USER_INPUT');
        if (invalid) throw badUserInput(invalid.message, 'chatId');
        throw onlyGone(access.errors) ? forbidden('Only members of a chat can follow it.') : unavailable();
      }
    }

    if (field === 'messageAdded') {
      if (chatId !== undefined && fieldArgs.after != null) {
        if (!(await replay(chatId, seqOf(fieldArgs.after, 'after'), true))) return end();
      } else if (chatId === undefined && fieldArgs.since?.length) {
        if (fieldArgs.since.length > MAX_RESUME_CHATS)
          throw badUserInput(`since lists at most ${MAX_RESUME_CHATS} chats.`, 'since');
        for (const messageId of fieldArgs.since) {
          const [sinceChat, sinceSeq] = messageId.split(':');
          if (!sinceChat || sinceSeq === undefined) throw badUserInput('since holds message ids.', 'since');
          try {
            if (!(await replay(sinceChat, seqOf(sinceSeq, 'since'), true))) return end();
          } catch (error) {
            // A chat the viewer has left since is skipped (its removal arrived as chatUpdated); any other
            // failure ends the subscription, to be resumed with the same `since`.
            if (!isGone(error)) throw error;
          }
        }
      }
    }
    busy = false;
    pump();
  }

  start().catch(end);
  const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => finished.then(() => done),
    return: () => {
      end();
      return Promise.resolve(done);
    },
    throw: (error: unknown) => {
      end();
      return Promise.reject(error);
    },
  };
  return iterator;
}

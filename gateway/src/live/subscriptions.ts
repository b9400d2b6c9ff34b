import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { badUserInput, forbidden, unavailable } from '@letstalk/errors';
import type { Logger } from '@letstalk/log';
import { liveSubscriptions, slowConsumerCloses } from '@letstalk/metrics';
import type { GatewayContext } from '../context.ts';
import { operationCost } from '../operation-cost.ts';
import { ChatHistory, ReplayBudget, replayPageSize } from './chat-history.ts';
import { Ending } from './ending.ts';
import { EventPayloads } from './event-payloads.ts';
import type { LiveHub } from './hub.ts';
import { readLiveOperation } from './live-operation.ts';
import { LiveQueue } from './live-queue.ts';
import { isGoneError, onlyGone, type RunQuery } from './payload.ts';
import { resumePoints } from './resume-points.ts';
import type { SharedPayloads } from './shared-payloads.ts';
import type { LiveSink } from './socket-output.ts';

/**
 * Default of GATEWAY_MAX_REPLAY_MESSAGES: messages one `messageAdded` replays from `after`/`since` before it
 * starts: past them it ends with
 * `UNAVAILABLE` (`extensions.reason: REPLAY_LIMIT`), and the client resumes from the last cursor it received
 * for the next ones, so no single subscription (nor a client that subscribes in a loop) costs more than that.
 */
export const MAX_REPLAY_MESSAGES = 1_000;

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
  /** Where a subscriber's results go (its graphql-ws socket). */
  sink: (context: GatewayContext) => LiveSink;
  /** Runs a query through the planner with a subscriber's context. */
  run: (query: string, variables: Record<string, unknown>, context: GatewayContext) => Promise<ExecutionResult>;
  /** Says when a subscription fell too far behind and its socket is closed. */
  log: Logger;
}

/**
 * Executes one subscription operation: listens on the viewer's live subject, and turns each matching
 * event into the subscriber's payload through the planner (shared between subscribers when it cannot
 * differ, and serialized once). Results are written straight to the operation's sink (its socket, see LiveSink):
 * the iterator yields nothing, it ends when the subscription does, and `return()` (the client completed,
 * or the socket closed) ends it at once. `messageAdded` replays what the subscriber missed first
 * (`after`/`since`), then goes on in order (see LiveQueue).
 */
export function subscribeLive(args: ExecutionArgs, options: LiveOptions): AsyncIterableIterator<ExecutionResult> {
  const ending = new Ending();
  start(args, options, ending).catch((error: unknown) => ending.end(error));
  const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => ending.finished.then(() => done),
    return: () => {
      ending.end();
      return Promise.resolve(done);
    },
    throw: async (error: unknown) => {
      ending.end();
      throw error;
    },
  };
  return iterator;
}

async function start(args: ExecutionArgs, options: LiveOptions, ending: Ending): Promise<void> {
  const context = args.contextValue as GatewayContext;
  const viewer = context.viewer;
  if (!viewer) throw new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
  const live = readLiveOperation(args);
  liveSubscriptions.inc({ field: live.field });
  ending.onEnd(() => liveSubscriptions.dec({ field: live.field }));
  const run: RunQuery = (query, variables) => options.run(query, variables, context);
  const held = options.shared.acquire(args.document, args.operationName, live.variableValues);
  ending.onEnd(held.release);
  const cost = operationCost(args.schema, args.document, live.operation, live.variableValues).cost;
  const sink = options.sink(context);
  const queue = new LiveQueue({
    live,
    payloads: new EventPayloads({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName,
      variableValues: live.variableValues,
      run,
      requeryName: options.operationName,
      shared: options.shared,
      operationKey: held.key,
      viewerId: viewer.userId,
    }),
    history: new ChatHistory(run, live.variableValues, {
      selection: live.selection,
      operationName: options.operationName,
      pageSize: replayPageSize(cost),
    }),
    sink,
    viewerId: viewer.userId,
    ending,
  });

  // Listening starts before anything is read, so nothing published meanwhile is missed.
  const stopListening = options.hub.listen(viewer.userId, {
    event: (event) => {
      if (queue.push(event)) return;
      options.log.warn({ userId: viewer.userId }, 'live subscription fell too far behind; closing its socket');
      slowConsumerCloses.inc({ reason: 'queue' });
      sink.closeTooSlow();
      ending.end();
    },
    // Every kind of event may have been missed, not only messages: the client reconnects, resumes its messages
    // from their cursors and reads the rest again (the SDK's onResumed).
    missed: () => {
      sink.closeToResume();
      ending.end();
    },
  });
  ending.onEnd(stopListening);

  if (live.chatId !== undefined) await requireMember(run, options.operationName, live.chatId);
  if (live.field === 'messageAdded') {
    const budget = new ReplayBudget(options.maxReplayMessages);
    for (const point of resumePoints(live)) {
      try {
        if (!(await queue.replay(point.chatId, point.cursor, budget))) return ending.end();
      } catch (error) {
        // A cursor the message subgraph refused is the client's argument.
        if (isRefusedInput(error)) throw badUserInput(error.message, live.chatId !== undefined ? 'after' : 'since');
        // Resuming every chat (`since`), one the viewer has left since is skipped (its removal arrived as
        // chatUpdated); any other failure ends the subscription, to be resumed with the same cursors.
        if (live.chatId !== undefined || !isGoneError(error)) throw error;
      }
    }
  }
  queue.start();
}

const isRefusedInput = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT';

/** Refuses to follow a chat that is not the viewer's (or an id that is not a chat's). */
async function requireMember(run: RunQuery, operationName: string, chatId: string): Promise<void> {
  const access = await run(`query ${operationName}($__id: ID!) { chat(id: $__id) { id } }`, { __id: chatId });
  if (!access.data || access.errors?.length) {
    const invalid = access.errors?.find((error) => error.extensions?.code === 'BAD_USER_INPUT');
    if (invalid) throw badUserInput(invalid.message, 'chatId');
    throw onlyGone(access.errors) ? forbidden('Only members of a chat can follow it.') : unavailable();
  }
}

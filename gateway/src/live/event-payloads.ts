import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { LiveEvent } from '@letstalk/events';
import { EntityRef, executePayload, holdsAnyKey, isUnresolved, viewerDependentKeys, type RunQuery } from './payload.ts';
import type { SharedPayload, SharedPayloads } from './shared-payloads.ts';

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

/** What a client needs to read an event again when its payload could not be made. */
export function eventIds(event: LiveEvent): Record<string, unknown> {
  const { id: _id, at: _at, ...ids } = event;
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
          lastReadMessageId: event.lastReadMessageId,
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
    case 'presence':
      // Read with the subscriber's authorization: NOT_FOUND (skipped) when they share no chat with the person.
      return { presenceChanged: new EntityRef('presence', event.userId, 'userId') };
  }
}

/** The payloads of one subscription: its selection executed on each event, or on a message read from history. */
export class EventPayloads {
  /** The response keys of the selection's viewer-dependent fields (see viewerDependentKeys). */
  private readonly viewerKeys: ReadonlySet<string>;

  constructor(
    private readonly options: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operationName?: string | null | undefined;
      variableValues: Record<string, unknown>;
      /** Runs a query with the subscriber's authorization. */
      run: RunQuery;
      /** See LiveOptions.operationName. */
      requeryName: string;
      shared: SharedPayloads;
      /** The operation's key in `shared` (see SharedPayloads.acquire). */
      operationKey: number;
      viewerId: string;
    },
  ) {
    this.viewerKeys = viewerDependentKeys(options.schema, options.document);
  }

  /** The subscriber's result on `root` (see executePayload). */
  ofRoot(root: Record<string, unknown>): Promise<ExecutionResult> {
    const { schema, document, operationName, variableValues, run, requeryName } = this.options;
    return executePayload({ schema, document, operationName, variableValues, root, run, requeryName });
  }

  /**
   * The payload of an event, shared per (event, operation) unless `ownKey`. A payload whose result holds a
   * viewer-dependent field is `viewerSpecific`: only its maker may use it, the others make their own (see
   * LiveQueue). One that resolves to nothing for another reason than access is made again after each of
   * PAYLOAD_RETRY_DELAYS_MS (a subgraph restarting), once for every subscriber sharing it.
   */
  ofEvent(event: LiveEvent, ownKey = false): SharedPayload {
    const { shared, operationKey, viewerId } = this.options;
    return shared.get(
      `${event.id}|${operationKey}|${ownKey ? viewerId : ''}`,
      viewerId,
      async () => {
        const retryUntil = Date.now() + PAYLOAD_RETRY_WINDOW_MS;
        let result = await this.ofRoot(rootOf(event));
        for (const delay of PAYLOAD_RETRY_DELAYS_MS) {
          if (!isUnresolved(result) || Date.now() + delay > retryUntil) break;
          await new Promise((resolve) => setTimeout(resolve, delay));
          result = await this.ofRoot(rootOf(event));
        }
        return result;
      },
      (result) => holdsAnyKey(result.data, this.viewerKeys),
    );
  }
}

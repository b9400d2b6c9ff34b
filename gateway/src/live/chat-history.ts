import { print } from 'graphql';
import { appError, badUserInput, forbidden, unavailable } from '@letstalk/errors';
import { MAX_QUERY_COST } from '../operation-cost.ts';
import type { LiveOperation } from './live-operation.ts';
import { markResolved, onlyGone, type RunQuery } from './payload.ts';

/**
 * Messages fetched per query while replaying what a subscriber missed, at most: fewer when the
 * subscriber's selection is costly, so that one replay query stays within MAX_QUERY_COST.
 */
export const REPLAY_PAGE_SIZE = 100;

/** A subscription ends with this when what it must deliver cannot be read: the client resumes from its cursor. */
export const resumeLater = () =>
  unavailable('Live delivery could not read what it must send; resume from the last cursor you received.');

/**
 * The page size of a subscriber's replay queries, from the cost of its operation: one message of its
 * selection costs about what its whole operation does (which passed the limit).
 */
export const replayPageSize = (operationCost: number) =>
  Math.max(1, Math.min(REPLAY_PAGE_SIZE, Math.floor(MAX_QUERY_COST / (operationCost + 4))));

/** A message read from a chat's history: its sequence number, its cursor, and the subscriber's selection on it. */
export interface HistoryMessage {
  seq: number;
  cursor: string;
  /** Marked as read by response key (see markResolved). */
  node: unknown;
}

interface HistoryPage {
  pageInfo: { hasPreviousPage: boolean };
  edges: { cursor: string; liveSeq: { seq: number }; node: unknown }[];
}

/** A chat's messages as one subscriber sees them, read from the database through the planner. */
export class ChatHistory {
  private readonly query: string;

  constructor(
    private readonly run: RunQuery,
    private readonly variableValues: Record<string, unknown>,
    options: {
      /** The subscriber's selection on `messageAdded`, with its fragments and variables. */
      selection: LiveOperation['selection'];
      /** See LiveOptions.operationName. */
      operationName: string;
      pageSize: number;
    },
  ) {
    const { selection, operationName, pageSize } = options;
    const declarations = [
      '$__chatId: ID!',
      '$__before: String',
      ...selection.variables.map((definition) => print(definition)),
    ];
    this.query = `query ${operationName}(${declarations.join(', ')}) { r: messages(chatId: $__chatId, last: ${pageSize}, before: $__before) { pageInfo { hasPreviousPage } edges { cursor liveSeq: node { seq } node ${selection.selection} } } }\n${selection.fragments}`;
  }

  /**
   * Every message of a chat after `cursor` (a history cursor, as the message subgraph gives them out and
   * takes them: the gateway never reads one), oldest first; the next page is read when this one has been
   * consumed. A chat that is not (or no longer) the viewer's fails FORBIDDEN, a cursor the message subgraph
   * refuses BAD_USER_INPUT; any other failure to read (a subgraph down) fails UNAVAILABLE, so the client
   * resumes from the same cursor instead of skipping the chat.
   */
  async *after(chatId: string, cursor: string): AsyncGenerator<HistoryMessage, void, undefined> {
    let before = cursor;
    for (;;) {
      const page = await this.run(this.query, { ...this.variableValues, __chatId: chatId, __before: before });
      const connection = (page.data as { r?: HistoryPage } | null)?.r;
      if (!connection) {
        const refused = page.errors?.find((error) => error.extensions?.code === 'BAD_USER_INPUT');
        if (refused) throw badUserInput(refused.message);
        if (page.errors?.length && onlyGone(page.errors)) throw forbidden('Only members of a chat can follow it.');
        throw resumeLater();
      }
      // A `last`/`before` page is newest first; replay goes oldest first.
      for (const edge of [...connection.edges].reverse()) {
        markResolved(edge.node);
        yield { seq: edge.liveSeq.seq, cursor: edge.cursor, node: edge.node };
      }
      if (!connection.pageInfo.hasPreviousPage || connection.edges.length === 0) return;
      before = connection.edges[0]!.cursor;
    }
  }
}

/** Messages one subscription may replay from `after`/`since` (see MAX_REPLAY_MESSAGES). */
export class ReplayBudget {
  private spent = 0;

  constructor(private readonly max: number) {}

  /** Counts one more replayed message; past the budget, fails UNAVAILABLE (`reason: REPLAY_LIMIT`). */
  spend(): void {
    if (this.spent++ >= this.max) {
      throw appError(
        'UNAVAILABLE',
        `A subscription replays at most ${this.max} messages: resume from the last cursor you received for the next ones.`,
        { reason: 'REPLAY_LIMIT' },
      );
    }
  }
}

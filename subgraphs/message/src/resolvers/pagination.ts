import { badUserInput } from '@letstalk/errors';
import { messageIdOf, parseSeqCursor, seqCursorOf } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import { pageMessages, type MessageRow } from '../data/message-repository.ts';
import { DEFAULT_MESSAGES_PAGE_SIZE, MAX_MESSAGES_PAGE_SIZE } from '../limits.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function pageSize(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_MESSAGES_PAGE_SIZE) {
    throw badUserInput(`${field} must be 1 to ${MAX_MESSAGES_PAGE_SIZE}.`, field);
  }
  return value;
}

const seqCursor = (cursor: string | null | undefined, field: string) =>
  cursor === null || cursor === undefined ? undefined : parseSeqCursor(cursor, field);

/**
 * A Relay connection over a chat's history, newest first. The cursor is the message's sequence number,
 * so a page stays where it is while new messages arrive. With `memberId`, rows come back only while that
 * user is a member (see {@link pageMessages}).
 */
export async function messageConnection(context: MessageContext, chatId: string, args: PageArgs, memberId?: string) {
  if ((args.first ?? null) !== null && (args.last ?? null) !== null) {
    throw badUserInput('Use first/after or last/before, not both.', 'last');
  }
  const newer = args.last !== null && args.last !== undefined;
  const limit = newer
    ? pageSize(args.last as number, 'last')
    : pageSize(args.first ?? DEFAULT_MESSAGES_PAGE_SIZE, 'first');
  const fromSeq = newer ? seqCursor(args.before, 'before') : seqCursor(args.after, 'after');
  const query = { direction: newer ? ('newer' as const) : ('older' as const), fromSeq, limit, memberId };
  // Edges run newest first. A page after a cursor the client has (`first`/`after`: scrolling back) is older than
  // what it has seen: the replica may serve it. An empty one is asked of the primary again (the replica may not
  // know of a membership seconds old). The newest page and pages towards newer messages (`last`/`before`: catching
  // up) always come from the primary, which has every message.
  const fromReplica =
    !newer && fromSeq !== undefined
      ? await context.services.reads.run((db) => pageMessages(db, chatId, query))
      : undefined;
  const rows = fromReplica?.length ? fromReplica : await pageMessages(context.db, chatId, query);
  const more = rows.length > limit;
  const page: MessageRow[] = rows.slice(0, limit);
  if (newer) page.reverse();
  for (const row of page) context.loaders.message.prime(messageIdOf(row), row);
  const edges = page.map((node) => ({ cursor: seqCursorOf(node.seq), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: newer ? fromSeq !== undefined : more,
      hasPreviousPage: newer ? more : fromSeq !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

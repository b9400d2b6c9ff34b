import { appError, badUserInput, unavailable } from '@letstalk/errors';
import { consumePoint, messageIdOf, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';
import { MAX_SEARCH_PAGE_SIZE, MAX_SEARCH_QUERY_LENGTH, MAX_SEARCH_WORDS, MIN_SEARCH_WORD_LENGTH } from '../limits.ts';
import { loadAll } from '../loaders.ts';
import { highlight, queryWords } from '../search/excerpt.ts';
import { SearchBusy, SearchTooBroad, type SearchPosition } from '../search/search-index.ts';
import { requireChat } from './access.ts';

const encodeCursor = (position: SearchPosition) =>
  Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.chatId, position.seq])).toString('base64url');

function decodeCursor(cursor: string): SearchPosition {
  try {
    const [at, chatId, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof chatId === 'string' && Number.isSafeInteger(seq) && !Number.isNaN(createdAt.getTime()))
      return { createdAt, chatId, seq: seq as number };
  } catch {
    // falls through to the error below
  }
  throw badUserInput('Not a cursor this server gave out.', 'after');
}

/** The words a query searches for: BAD_USER_INPUT when it is too long, has too many, or none long enough. */
function searchWords(query: string): string[] {
  if ([...query].length > MAX_SEARCH_QUERY_LENGTH)
    throw badUserInput(`A search has at most ${MAX_SEARCH_QUERY_LENGTH} characters.`, 'query');
  const words = [...new Set(queryWords(query).filter((word) => [...word].length >= MIN_SEARCH_WORD_LENGTH))];
  if (words.length === 0)
    throw badUserInput(`Search for at least one word of ${MIN_SEARCH_WORD_LENGTH} or more characters.`, 'query');
  if (words.length > MAX_SEARCH_WORDS) throw badUserInput(`A search has at most ${MAX_SEARCH_WORDS} words.`, 'query');
  return words;
}

export const searchMessages: NonNullable<QueryResolvers<MessageContext>['searchMessages']> = async (
  _parent,
  args,
  context,
) => {
  const viewer = requireViewer(context);
  const words = searchWords(args.query);
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_PAGE_SIZE)
    throw badUserInput(`first must be 1 to ${MAX_SEARCH_PAGE_SIZE}.`, 'first');
  const after = args.after ? decodeCursor(args.after) : undefined;
  const chatId = args.chatId ? (await requireChat(context, args.chatId)).id : undefined;
  await consumePoint(context.services.searchLimiter, viewer.userId);
  const found = await context.services.searchIndex
    .search({ words, viewerId: viewer.userId, chatId, first: first + 1, after })
    .catch((error: unknown) => {
      if (error instanceof SearchBusy) throw unavailable('Search is busy; try again in a moment.');
      if (!(error instanceof SearchTooBroad)) throw error;
      throw appError('BAD_USER_INPUT', 'This search matches too many messages; add a word, or search one chat.', {
        field: 'query',
        reason: 'TOO_BROAD',
      });
    });
  const page = found.slice(0, first);
  // The index may lag a deletion by a moment: a message gone since is left out.
  const messages = await loadAll(context.loaders.message, page.map(messageIdOf));
  const edges = page.flatMap((position, index) => {
    const message = messages[index];
    if (!message || message.text === null || message.deletedAt) return [];
    return [{ cursor: encodeCursor(position), node: message, excerpt: highlight(message.text, words) }];
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: found.length > first,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.length > 0 ? encodeCursor(page.at(-1)!) : null,
    },
  };
};

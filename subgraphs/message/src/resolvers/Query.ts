import { badUserInput, notFound } from '@letstalk/errors';
import { parseMessageId, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import { listChatIds, type ChatListKey } from '../data/chat-repository.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';
import { findBlocked } from '../data/block-repository.ts';
import { userReference } from '../ids.ts';
import { MAX_BLOCKED_USERS, MAX_CHATS_PAGE_SIZE } from '../limits.ts';
import { loadAll } from '../loaders.ts';
import { requireCall, requireChat } from './access.ts';
import { messageConnection } from './pagination.ts';
import { presenceQueries } from './presence.ts';
import { searchMessages } from './search.ts';

const encodeChatCursor = (key: ChatListKey) =>
  Buffer.from(JSON.stringify([key.lastActivityAt.toISOString(), key.chatId])).toString('base64url');

function decodeChatCursor(cursor: string): ChatListKey {
  try {
    const [at, chatId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const lastActivityAt = new Date(String(at));
    if (typeof chatId === 'string' && !Number.isNaN(lastActivityAt.getTime())) return { lastActivityAt, chatId };
  } catch {
    // falls through to the error below
  }
  throw badUserInput('Not a cursor this server gave out.', 'after');
}

export const Query: QueryResolvers<MessageContext> = {
  searchMessages,
  ...presenceQueries,
  async blockedUsers(_parent, _args, context) {
    const viewer = requireViewer(context);
    return (await findBlocked(context.db, viewer.userId, MAX_BLOCKED_USERS)).map(userReference);
  },

  async chats(_parent, args, context) {
    const viewer = requireViewer(context);
    const first = args.first ?? 20;
    if (first < 1 || first > MAX_CHATS_PAGE_SIZE)
      throw badUserInput(`first must be 1 to ${MAX_CHATS_PAGE_SIZE}.`, 'first');
    const keys = await listChatIds(
      context.db,
      viewer.userId,
      first,
      args.after ? decodeChatCursor(args.after) : undefined,
    );
    const page = keys.slice(0, first);
    const chats = await loadAll(
      context.loaders.chat,
      page.map((key) => key.chatId),
    );
    const edges = page.flatMap((key, index) => {
      const chat = chats[index];
      return chat ? [{ cursor: encodeChatCursor(key), node: chat }] : [];
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: keys.length > first,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  },

  chat: (_parent, { id }, context) => requireChat(context, id, 'id'),

  async messages(_parent, { chatId, ...page }, context) {
    const viewer = requireViewer(context);
    const id = parseUuid(chatId, 'chatId');
    // Membership is checked inside the page's own statement; only an empty page needs telling apart
    // from a chat the viewer cannot see.
    const connection = await messageConnection(context, id, page, viewer.userId);
    if (connection.edges.length === 0) await requireChat(context, id);
    return connection;
  },

  async message(_parent, { id }, context) {
    requireViewer(context);
    parseMessageId(id, 'id');
    const message = await context.loaders.message.load(id);
    if (!message) throw notFound('No such message.');
    return message;
  },

  call: (_parent, { id }, context) => requireCall(context, id),

  callSettings(_parent, _args, context) {
    requireViewer(context);
    return { iceServers: context.services.iceServers };
  },
};

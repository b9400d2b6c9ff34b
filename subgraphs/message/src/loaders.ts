import DataLoader from 'dataloader';
import { messageIdOf, parseMessageId } from '@letstalk/server';
import type { MessageDb } from './data/tables.ts';
import type { MessageLoaders } from './context.ts';
import { findOpenCalls } from './data/call-repository.ts';
import { findChatsForMember, findMembers } from './data/chat-repository.ts';
import { countUnread, findMessages } from './data/message-repository.ts';
import { findPins } from './data/pin-repository.ts';
import { findReactors, summarizeReactions } from './data/reaction-repository.ts';
import { loadPresence } from './presence/presence-loader.ts';

const byKey = <Row, Key>(keys: readonly Key[], rows: Row[], keyOf: (row: Row) => Key) => {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
};

/**
 * `loader.loadMany`, failing as a whole when a load failed: loadMany hands failures back as values, and a chat
 * that could not be read (the database restarting) is not one the viewer cannot see.
 */
export async function loadAll<Key, Value>(loader: DataLoader<Key, Value>, keys: readonly Key[]): Promise<Value[]> {
  const values = await loader.loadMany(keys);
  const failure = values.find((value): value is Error => value instanceof Error);
  if (failure) throw failure;
  return values as Value[];
}

/**
 * One batched query per kind of lookup and request, whatever the number of chats or messages on a page.
 * Without a viewer every chat-scoped loader answers nothing.
 */
export function createLoaders(db: MessageDb, viewerId: string | undefined): MessageLoaders {
  const chat: MessageLoaders['chat'] = new DataLoader(async (ids) =>
    viewerId ? byKey(ids, await findChatsForMember(db, viewerId, ids), (row) => row.id) : ids.map(() => null),
  );
  const members: MessageLoaders['members'] = new DataLoader(async (chatIds) => {
    const rows = await findMembers(db, chatIds);
    return chatIds.map((chatId) => rows.filter((row) => row.chatId === chatId));
  });
  const lastMessage: MessageLoaders['lastMessage'] = new DataLoader(async (chatIds) => {
    const chats = await loadAll(chat, chatIds);
    const keys = chats.flatMap((row) => (row && row.lastSeq > 0 ? [{ chatId: row.id, seq: row.lastSeq }] : []));
    return byKey(chatIds, await findMessages(db, keys), (row) => row.chatId);
  });
  const unreadCount: MessageLoaders['unreadCount'] = new DataLoader(async (chatIds) => {
    if (!viewerId) return chatIds.map(() => 0);
    const chats = await loadAll(chat, chatIds);
    const marks = chats.flatMap((row) => (row ? [{ chatId: row.id, readSeq: row.viewerReadSeq }] : []));
    const counts = await countUnread(db, viewerId, marks);
    return chatIds.map((chatId) => counts.get(chatId) ?? 0);
  });
  // Membership is checked in the message statement itself: a live payload's message costs one round trip.
  const message: MessageLoaders['message'] = new DataLoader(async (ids) => {
    if (!viewerId) return ids.map(() => null);
    const rows = await findMessages(
      db,
      ids.map((id) => parseMessageId(id, 'id')),
      viewerId,
    );
    return byKey(ids, rows, messageIdOf);
  });
  const activeCall: MessageLoaders['activeCall'] = new DataLoader(async (chatIds) => {
    const visible = await loadAll(chat, chatIds);
    const ids = visible.flatMap((row) => (row ? [row.id] : []));
    return byKey(chatIds, await findOpenCalls(db, ids), (row) => row.chatId);
  });
  const messageInChat: MessageLoaders['messageInChat'] = new DataLoader(
    async (keys) => byKey(keys.map(messageIdOf), await findMessages(db, keys), messageIdOf),
    { cacheKeyFn: messageIdOf },
  );
  const reactions: MessageLoaders['reactions'] = new DataLoader(async (ids) => {
    if (!viewerId) return ids.map(() => []);
    const rows = await summarizeReactions(
      db,
      ids.map((id) => parseMessageId(id, 'id')),
      viewerId,
    );
    return ids.map((id) => rows.filter((row) => messageIdOf(row) === id));
  });
  // A page asks one `first` for all its reactions; pairs asked with different ones are read with the largest.
  const reactors: MessageLoaders['reactors'] = new DataLoader(
    async (keys) => {
      const rows = await findReactors(db, keys, Math.max(...keys.map((key) => key.first)));
      return keys.map((key) =>
        rows
          .filter((row) => row.chatId === key.chatId && row.seq === key.seq && row.emoji === key.emoji)
          .slice(0, key.first)
          .map((row) => row.userId),
      );
    },
    { cacheKeyFn: (key) => `${key.first}|${key.chatId}|${key.seq}|${key.emoji}` },
  );
  const pins: MessageLoaders['pins'] = new DataLoader(async (chatIds) => {
    const rows = await findPins(db, chatIds);
    return chatIds.map((chatId) => rows.filter((row) => row.chatId === chatId));
  });
  // Whom the viewer may see, whom a block hides, and the rows: three statements for every person on a page.
  const presence: MessageLoaders['presence'] = new DataLoader((userIds) => loadPresence(db, viewerId, userIds));
  return {
    chat,
    members,
    lastMessage,
    unreadCount,
    message,
    activeCall,
    messageInChat,
    pins,
    reactions,
    reactors,
    presence,
  };
}

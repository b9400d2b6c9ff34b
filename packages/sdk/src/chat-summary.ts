import type { ChatSummaryFragment } from './generated/graphql.ts';

/**
 * A chat as an update says it is, except what the store already knows to be newer: an update made before the
 * chat's latest message arrived keeps that message, its activity and its unread count.
 */
export function fresher(known: ChatSummaryFragment | undefined, update: ChatSummaryFragment): ChatSummaryFragment {
  if (!known?.lastMessage || known.lastMessage.seq <= (update.lastMessage?.seq ?? 0)) return update;
  const { lastMessage, lastActivityAt, unreadCount } = known;
  return { ...update, lastMessage, lastActivityAt, unreadCount };
}

import type { ChatSummaryFragment, PresenceFieldsFragment } from './generated/graphql.ts';

/**
 * The presence of the people a chat store knows, by user id: each direct chat's other person (from the chat list
 * and its updates), and anyone a `presenceChanged` told of (people in the viewer's groups, the viewer).
 */
export function createPresenceBook() {
  const known = new Map<string, PresenceFieldsFragment>();
  return {
    set(presence: PresenceFieldsFragment): void {
      known.set(presence.user.id, presence);
    },
    /** Takes the presence of each chat's other person. */
    fromChats(chats: Iterable<ChatSummaryFragment | null | undefined>): void {
      for (const chat of chats)
        if (chat?.counterpart?.presence) known.set(chat.counterpart.id, chat.counterpart.presence);
    },
    snapshot: (): Record<string, PresenceFieldsFragment> => Object.fromEntries(known),
  };
}

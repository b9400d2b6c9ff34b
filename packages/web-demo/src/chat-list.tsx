import type { ChatSummaryFragment, PresenceFieldsFragment } from '@letstalk/sdk';
import { timeOf } from './hooks.ts';
import { PresenceDot } from './presence.tsx';

/** A group's name, or for a direct chat the other person's name. */
export const chatTitle = (chat: ChatSummaryFragment) => chat.name || chat.counterpart?.displayName || 'Chat';

function preview(chat: ChatSummaryFragment): string {
  const last = chat.lastMessage;
  if (!last) return 'No messages yet';
  if (last.deletedAt) return 'Message deleted';
  const text = last.text ?? (last.image ? '📷 Photo' : '');
  return chat.kind === 'GROUP' ? `${last.sender.displayName}: ${text}` : text;
}

/** The chats, most recently active first, each with its unread badge. */
export function ChatList(props: {
  chats: readonly ChatSummaryFragment[];
  openId: string | undefined;
  onOpen: (chatId: string) => void;
  /** The store's presence by user id (live), else each direct chat's as read with the list. */
  presence: Readonly<Record<string, PresenceFieldsFragment>>;
  viewerId: string;
}) {
  return (
    <nav class="chat-list" aria-label="Chats">
      {props.chats.map((chat) => (
        <button
          type="button"
          key={chat.id}
          class={`chat-item${chat.id === props.openId ? ' open' : ''}`}
          data-testid="chat-item"
          data-chat-id={chat.id}
          onClick={() => props.onOpen(chat.id)}
        >
          <span class="avatar">
            {chatTitle(chat).slice(0, 1)}
            {chat.kind === 'DIRECT' && chat.counterpart && chat.counterpart.id !== props.viewerId && (
              <PresenceDot presence={props.presence[chat.counterpart.id] ?? chat.counterpart.presence} />
            )}
          </span>
          <span class="chat-text">
            <span class="chat-title">{chatTitle(chat)}</span>
            <span class="chat-preview">{preview(chat)}</span>
          </span>
          <span class="chat-meta">
            <span class="chat-time">{timeOf(chat.lastActivityAt)}</span>
            {chat.unreadCount > 0 && (
              <span class="badge" data-testid="unread" aria-label={`${chat.unreadCount} unread`}>
                {chat.unreadCount}
              </span>
            )}
          </span>
        </button>
      ))}
    </nav>
  );
}

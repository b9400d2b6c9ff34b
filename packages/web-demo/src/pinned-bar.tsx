import { useEffect, useState } from 'preact/hooks';
import { PinnedMessagesDocument, type ChatMessage, type PinnedMessagesQuery, type Session } from '@letstalk/sdk';
import { Excerpt, quoteOf } from './reply.tsx';

type Pin = PinnedMessagesQuery['chat']['pinned'][number];

/**
 * A chat's pinned messages, the latest pin first. Read when the chat opens, and again when the chat's messages
 * in the store change what is pinned: the store follows each message's `pinned` flag (the viewer's own pins and,
 * live, `messageUpdated`, which the server sends with every PINS_CHANGED, for a message not loaded too).
 */
export function usePinned(session: Session, chatId: string, messages: readonly ChatMessage[]): readonly Pin[] {
  const [pins, setPins] = useState<readonly Pin[]>([]);
  const pinnedIds = messages.flatMap((message) => (message.status === 'sent' && message.pinned ? [message.id] : []));
  const changes = pinnedIds.join(' ');
  useEffect(() => {
    let stale = false;
    session.request(PinnedMessagesDocument, { chatId }).then(
      ({ chat }) => !stale && setPins(chat.pinned),
      // The bar keeps what it showed; the next change reads again.
      () => undefined,
    );
    return () => {
      stale = true;
    };
  }, [session, chatId, changes]);
  return pins;
}

/** At the top of a chat with pinned messages: the latest pin's text, and how many there are. */
export function PinnedBar({ pins }: { pins: readonly Pin[] }) {
  const latest = pins[0];
  if (!latest) return null;
  return (
    <div class="pinned-bar" data-testid="pinned-bar" title={`Pinned by ${latest.pinnedBy.displayName}`}>
      <span class="pinned-count">
        <span aria-hidden="true">📌 </span>
        {pins.length === 1 ? 'Pinned' : `${pins.length} pinned`}
      </span>
      <span class="pinned-text">
        <Excerpt quote={quoteOf(latest.message)} />
      </span>
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { PinnedMessagesDocument, type PinnedMessagesQuery, type Session } from '@letstalk/sdk';
import { Excerpt, quoteOf } from './reply.tsx';

type Pin = PinnedMessagesQuery['chat']['pinned'][number];

/**
 * A chat's pinned messages, the latest pin first. Read when the chat opens, and again when the store says its pins
 * changed (`pins` in the store's snapshot: live PINS_CHANGED, or a reconnection).
 */
export function usePinned(session: Session, chatId: string, version: number): readonly Pin[] {
  const [pins, setPins] = useState<readonly Pin[]>([]);
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
  }, [session, chatId, version]);
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

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatSummaryFragment } from '@letstalk/sdk';
import { chatTitle } from './chat-list.tsx';

/** The emoji the React button offers (the server takes any single emoji; the demo keeps to a few). */
const PALETTE = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

/** The pop-up open beside a message: the emoji palette or the chats to forward to. */
type Popup = 'react' | 'forward';

/**
 * Beside a sent message (shown on hover or focus): React, which opens the palette of emoji; Reply; Pin or
 * Unpin, for those who may (`pin` absent otherwise); Forward, which opens the viewer's other chats. A pop-up
 * takes the focus; it closes on a pick or Escape (the focus back on its button), or when the focus leaves it.
 */
export function MessageActions(props: {
  onReact: (emoji: string) => void;
  onReply: () => void;
  pin: { pinned: boolean; toggle: () => void } | undefined;
  forwardTo: readonly ChatSummaryFragment[];
  onForward: (chatId: string) => void;
}) {
  const [open, setOpen] = useState<Popup>();
  const popup = useRef<HTMLDivElement>(null);
  const opener = { react: useRef<HTMLButtonElement>(null), forward: useRef<HTMLButtonElement>(null) };
  useEffect(() => {
    if (open) popup.current?.querySelector('button')?.focus();
  }, [open]);
  const close = () => {
    if (open) opener[open].current?.focus();
    setOpen(undefined);
  };
  const toggle = (which: Popup) => setOpen(open === which ? undefined : which);

  return (
    <div
      class={`message-actions${open ? ' open' : ''}`}
      onKeyDown={(event) => open && event.key === 'Escape' && close()}
      onFocusOut={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(undefined);
      }}
    >
      <button type="button" ref={opener.react} aria-expanded={open === 'react'} onClick={() => toggle('react')}>
        React
      </button>
      <button type="button" onClick={props.onReply}>
        Reply
      </button>
      {props.pin && (
        <button type="button" onClick={props.pin.toggle}>
          {props.pin.pinned ? 'Unpin' : 'Pin'}
        </button>
      )}
      <button type="button" ref={opener.forward} aria-expanded={open === 'forward'} onClick={() => toggle('forward')}>
        Forward
      </button>
      {open === 'react' && (
        <div class="palette" role="group" aria-label="Pick a reaction" ref={popup}>
          {PALETTE.map((emoji) => (
            <button
              type="button"
              key={emoji}
              aria-label={`React with ${emoji}`}
              title={`React with ${emoji}`}
              onClick={() => {
                close();
                props.onReact(emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
      {open === 'forward' && (
        <div class="forward-list" role="group" aria-label="Forward to" ref={popup}>
          {props.forwardTo.length === 0 && <span class="forward-none">No other chats</span>}
          {props.forwardTo.map((chat) => (
            <button
              type="button"
              key={chat.id}
              onClick={() => {
                close();
                props.onForward(chat.id);
              }}
            >
              {chatTitle(chat)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

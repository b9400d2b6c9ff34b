import { useEffect, useRef, useState } from 'preact/hooks';

/** The emoji the React button offers (the server takes any single emoji; the demo keeps to a few). */
const PALETTE = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

/**
 * Beside a sent message (shown on hover or focus): React, which opens the palette of emoji, and Reply. The
 * palette takes the focus; it closes on a pick or Escape (the focus back on React), or when the focus leaves it.
 */
export function MessageActions(props: { onReact: (emoji: string) => void; onReply: () => void }) {
  const [picking, setPicking] = useState(false);
  const palette = useRef<HTMLDivElement>(null);
  const reactButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (picking) palette.current?.querySelector('button')?.focus();
  }, [picking]);
  const close = () => {
    setPicking(false);
    reactButton.current?.focus();
  };

  return (
    <div
      class={`message-actions${picking ? ' open' : ''}`}
      onKeyDown={(event) => picking && event.key === 'Escape' && close()}
      onFocusOut={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setPicking(false);
      }}
    >
      <button type="button" ref={reactButton} aria-expanded={picking} onClick={() => setPicking(!picking)}>
        React
      </button>
      <button type="button" onClick={props.onReply}>
        Reply
      </button>
      {picking && (
        <div class="palette" role="group" aria-label="Pick a reaction" ref={palette}>
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
    </div>
  );
}

import { useState } from 'preact/hooks';
import type { ChatStore, ChatSummaryFragment } from '@letstalk/sdk';
import { messageOf } from './hooks.ts';

/** An hour from now, as an ISO date-time: what "Mute 1 h" asks for. */
const inAnHour = () => new Date(Date.now() + 60 * 60 * 1000).toISOString();

/**
 * In a chat's header: Mute (for an hour, or until unmuted) or Unmute, for the viewer only: a muted chat sends them
 * no notification while they are away. The store keeps the chat the server answers with.
 */
export function MuteButton({ store, chat }: { store: ChatStore; chat: ChatSummaryFragment }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (change: Promise<void>) => {
    setBusy(true);
    setError(undefined);
    change.catch((failure: unknown) => setError(messageOf(failure))).finally(() => setBusy(false));
  };
  const until = chat.mutedUntil ? new Date(chat.mutedUntil).toLocaleTimeString([], { timeStyle: 'short' }) : undefined;
  return (
    <span class="mute-chat">
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
      {chat.muted ? (
        <button type="button" class="link" disabled={busy} onClick={() => run(store.unmute(chat.id))}>
          {until ? `Muted until ${until} · Unmute` : 'Muted · Unmute'}
        </button>
      ) : (
        <>
          <button type="button" class="link" disabled={busy} onClick={() => run(store.mute(chat.id, inAnHour()))}>
            Mute 1 h
          </button>
          <button type="button" class="link" disabled={busy} onClick={() => run(store.mute(chat.id))}>
            Mute
          </button>
        </>
      )}
    </span>
  );
}

import { useEffect, useState } from 'preact/hooks';
import type { ChatStore, Live, PresenceFieldsFragment } from '@letstalk/sdk';
import { messageOf, timeOf } from './hooks.ts';

/** "Online", "Away", "Last seen 14:05", or "Offline" (never seen, or hidden from the viewer). */
export function presenceText(presence: PresenceFieldsFragment | null | undefined): string {
  if (presence?.status === 'ONLINE') return 'Online';
  if (presence?.status === 'AWAY') return 'Away';
  return presence?.lastSeenAt ? `Last seen ${timeOf(presence.lastSeenAt)}` : 'Offline';
}

/** A dot on a person's avatar: green online, amber away, nothing offline; its label says which. */
export function PresenceDot(props: { presence: PresenceFieldsFragment | null | undefined }) {
  const status = props.presence?.status ?? 'OFFLINE';
  if (status === 'OFFLINE') return null;
  return (
    <span
      class={`presence-dot ${status.toLowerCase()}`}
      role="img"
      aria-label={presenceText(props.presence)}
      data-testid="presence-dot"
    />
  );
}

/** Tells the gateway the person is here on every key press, click or focus (the SDK sends it at most twice a minute). */
export function useActivity(live: Live): void {
  useEffect(() => {
    const report = () => live.reportActivity();
    const events = ['keydown', 'pointerdown', 'focus'] as const;
    for (const event of events) window.addEventListener(event, report);
    return () => {
      for (const event of events) window.removeEventListener(event, report);
    };
  }, [live]);
}

/** "Hide my presence": others then see the viewer offline, never when they were last seen. */
export function HidePresence(props: { store: ChatStore; own: PresenceFieldsFragment | undefined }) {
  const [error, setError] = useState<string>();
  /** The setting asked for, shown at once until the server's answer (a controlled checkbox would flip back). */
  const [asked, setAsked] = useState<boolean>();
  const hidden = asked ?? props.own?.hidden ?? false;
  return (
    <label class="hide-presence">
      <input
        type="checkbox"
        checked={hidden}
        disabled={asked !== undefined || !props.own}
        onChange={() => {
          setAsked(!hidden);
          setError(undefined);
          props.store.setPresenceHidden(!hidden).then(
            () => setAsked(undefined),
            (failure: unknown) => {
              setError(messageOf(failure));
              setAsked(undefined);
            },
          );
        }}
      />
      Hide my presence
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

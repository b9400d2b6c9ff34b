import { useEffect, useState } from 'preact/hooks';
import type { Session } from '@letstalk/sdk';
import { chatOfLink, chatOfMessage, withoutChat } from './chat-link.ts';
import { messageOf } from './hooks.ts';
import { pushStatus, turnOff, turnOn, type PushStatus } from './push.ts';

/** What is shown when there is nothing to turn on or off here. */
const UNCHANGEABLE: Partial<Record<PushStatus, string>> = {
  unsupported: 'Notifications: not supported by this browser',
  unavailable: 'Notifications: not offered by this server',
  blocked: 'Notifications: blocked by the browser (its site settings allow them again)',
};

/**
 * Beside the signed-in person's name: Turn on notifications (the browser asks for permission, then this browser
 * is pushed the person's messages while none of their devices is connected), or Turn off, and why neither can be
 * done when so. A failure says what failed; the state shown is the one before.
 */
export function Notifications({ session }: { session: Session }) {
  const [status, setStatus] = useState<PushStatus>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    pushStatus(session).then(
      (found) => !stopped && setStatus(found),
      (failure: unknown) => !stopped && setError(messageOf(failure)),
    );
    return () => {
      stopped = true;
    };
  }, [session]);

  const run = (change: (session: Session) => Promise<PushStatus>) => {
    setBusy(true);
    setError(undefined);
    change(session)
      .then(setStatus, (failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <div class="notifications" data-testid="notifications" data-status={status}>
      {status === 'on' && (
        <button type="button" class="link" disabled={busy} onClick={() => run(turnOff)}>
          Notifications on · Turn off
        </button>
      )}
      {status === 'off' && (
        <button type="button" class="link" disabled={busy} onClick={() => run(turnOn)}>
          Turn on notifications
        </button>
      )}
      {status && UNCHANGEABLE[status] && <span class="muted">{UNCHANGEABLE[status]}</span>}
      {error && (
        <p class="error" role="alert">
          Notifications failed: {error}
        </p>
      )}
    </div>
  );
}

/**
 * Opens the chat a notification's click asks for: `./?chat=<id>` when the service worker opened this window (the
 * parameter is then dropped from the address, so a reload does not reopen it), or its message to a window already
 * open (see chat-link.ts).
 */
export function useChatFromNotifications(open: (chatId: string) => void): void {
  useEffect(() => {
    const linked = chatOfLink(location.href);
    if (linked) {
      open(linked);
      history.replaceState(history.state, '', withoutChat(location.href));
    }
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent) => {
      const chatId = chatOfMessage(event.data);
      if (chatId) open(chatId);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    // Messages posted before the page listened wait until this.
    navigator.serviceWorker.startMessages();
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, []);
}

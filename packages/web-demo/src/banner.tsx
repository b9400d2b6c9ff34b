import { useEffect, useState } from 'preact/hooks';
import type { Live } from '@letstalk/sdk';
import { useExternal } from './hooks.ts';

const TEXT = {
  live: '',
  connecting: 'Connecting…',
  resuming: 'Connection lost: reconnecting…',
  offline: 'Cannot reach the server. Retrying…',
} as const;

/** What the browser says about the network (`online`/`offline` events). */
function useNetwork(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Shown while the live connection is not `live` (connecting, resuming, offline) or the browser is offline. */
export function Banner({ live }: { live: Live }) {
  const state = useExternal(live);
  const online = useNetwork();
  if (state === 'live' && online) return null;
  return (
    <div class={`banner banner-${online ? state : 'offline'}`} role="status" data-live={state}>
      {online ? TEXT[state] : 'You are offline. Messages will catch up when you are back.'}
    </div>
  );
}

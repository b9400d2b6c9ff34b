import { useEffect, useState } from 'preact/hooks';
import type { Live, Session } from '@letstalk/sdk';
import { useExternal } from './hooks.ts';
import { SignIn } from './sign-in.tsx';
import type { UploadProgress } from './upload-progress.ts';
import { Workspace } from './workspace.tsx';

/** Signed out: the sign-in form; signed in: the chats of that user (a new workspace per user). */
export function App({ session, live, uploads }: { session: Session; live: Live; uploads: UploadProgress }) {
  const state = useExternal(session);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void session.ready().then(() => setReady(true));
  }, [session]);
  if (!ready) return <div class="splash">Loading…</div>;
  if (state.status !== 'signedIn') return <SignIn session={session} />;
  return <Workspace key={state.userId} session={session} live={live} uploads={uploads} viewerId={state.userId} />;
}

import { useState } from 'preact/hooks';
import type { Session } from '@letstalk/sdk';
import { messageOf } from './hooks.ts';

/** Email, then the code that was emailed (in development: the stack's log or the configured SMTP). */
export function SignIn({ session }: { session: Session }) {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false));
  };

  const requestCode = (event: Event) => {
    event.preventDefault();
    run(async () => {
      await session.requestEmailCode(email.trim());
      setSentTo(email.trim());
    });
  };
  const signIn = (event: Event) => {
    event.preventDefault();
    if (sentTo) run(() => session.signInWithEmailCode(sentTo, code.trim()));
  };

  return (
    <main class="sign-in">
      <div class="card">
        <h1>
          <span class="logo" aria-hidden="true" /> LetsTalk
        </h1>
        {sentTo === undefined ? (
          <form onSubmit={requestCode}>
            <p>Sign in or sign up with your email: we send you a code.</p>
            <label>
              Email
              <input
                type="email"
                name="email"
                autoComplete="email"
                required
                value={email}
                onInput={(event) => setEmail(event.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              Send me a code
            </button>
          </form>
        ) : (
          <form onSubmit={signIn}>
            <p>
              We sent a code to <strong>{sentTo}</strong>.
            </p>
            <label>
              Code
              <input
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onInput={(event) => setCode(event.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              Sign in
            </button>
            <button type="button" class="link" onClick={() => setSentTo(undefined)}>
              Use another email
            </button>
          </form>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}

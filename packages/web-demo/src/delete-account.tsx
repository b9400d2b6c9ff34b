import { useState } from 'preact/hooks';
import { DeleteAccountDocument, LetsTalkError, type Session } from '@letstalk/sdk';
import { messageOf } from './hooks.ts';

/** The server refuses to delete an account whose sign-in is older than 10 minutes: signing in again fixes it. */
const needsRecentSignIn = (failure: unknown) =>
  failure instanceof LetsTalkError &&
  failure.code === 'FORBIDDEN' &&
  failure.errors[0]?.extensions?.['reason'] === 'RECENT_SIGN_IN_REQUIRED';

/**
 * Beside the signed-in person's name: Delete account, confirmed in the page. Once deleted, the session is
 * forgotten as Sign out does (the sign-in screen shows). A sign-in too old to delete with offers to sign in again.
 */
export function DeleteAccount({ session }: { session: Session }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; signInAgain: boolean }>();

  const remove = () => {
    setBusy(true);
    setError(undefined);
    session
      .request(DeleteAccountDocument)
      // The server has ended the session already: signing out only forgets it here.
      .then(() => session.signOut())
      .catch((failure: unknown) => {
        setConfirming(false);
        setError({ message: messageOf(failure), signInAgain: needsRecentSignIn(failure) });
      })
      .finally(() => setBusy(false));
  };

  return (
    <div class="delete-account">
      {confirming ? (
        <div class="confirm" role="group" aria-label="Delete your account?">
          <span>Delete your account, name, email and picture for good?</span>
          <button type="button" class="danger" disabled={busy} onClick={remove}>
            Delete for good
          </button>
          <button type="button" class="link" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          class="link"
          onClick={() => {
            setError(undefined);
            setConfirming(true);
          }}
        >
          Delete account
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error.message}
          {error.signInAgain && (
            <button type="button" class="link" onClick={() => void session.signOut()}>
              Sign in again
            </button>
          )}
        </p>
      )}
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { BlockedUsersDocument, BlockUserDocument, UnblockUserDocument, type Session } from '@letstalk/sdk';
import { messageOf } from './hooks.ts';

/**
 * In a direct chat's header: Block or Unblock the other person. Whether they are blocked comes from
 * `blockedUsers`, read when the chat opens and again after each click. Once blocked, neither can send in the chat
 * (a message shows as not sent).
 */
export function BlockButton({ session, userId }: { session: Session; userId: string }) {
  const [blocked, setBlocked] = useState<boolean>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const read = async () => {
    const { blockedUsers } = await session.request(BlockedUsersDocument);
    setBlocked(blockedUsers.some((user) => user.id === userId));
  };
  useEffect(() => {
    read().catch((failure: unknown) => setError(messageOf(failure)));
  }, [session, userId]);

  const toggle = () => {
    setBusy(true);
    setError(undefined);
    (blocked ? session.request(UnblockUserDocument, { userId }) : session.request(BlockUserDocument, { userId }))
      .then(read)
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <span class="block-user">
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
      <button type="button" class="link" disabled={blocked === undefined || busy} onClick={toggle}>
        {blocked ? 'Unblock' : 'Block'}
      </button>
    </span>
  );
}

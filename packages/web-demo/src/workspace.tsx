import { useEffect, useState } from 'preact/hooks';
import { createChatStore, MeDocument, type Live, type ProfileFragment, type Session } from '@letstalk/sdk';
import { Banner } from './banner.tsx';
import { ChatList } from './chat-list.tsx';
import { ChatView } from './chat-view.tsx';
import { DeleteAccount } from './delete-account.tsx';
import { ExportData } from './export-data.tsx';
import { messageOf, useExternal } from './hooks.ts';
import { MessageSearch } from './message-search.tsx';
import { NameForm, NewChat } from './new-chat.tsx';
import { Notifications, useChatFromNotifications } from './notifications.tsx';
import { HidePresence, useActivity } from './presence.tsx';
import { signOut } from './push.ts';
import { createChatSender } from './sender.ts';
import type { UploadProgress } from './upload-progress.ts';

/**
 * The signed-in screen: the chat list on the left (or a message search's results), the open chat on the right,
 * kept live by the SDK's store.
 */
export function Workspace(props: { session: Session; live: Live; uploads: UploadProgress; viewerId: string }) {
  const { session, live, viewerId } = props;
  const [sender] = useState(() => createChatSender(session));
  const [store] = useState(() => createChatStore({ request: session.request, live, viewerId: () => viewerId, sender }));
  const snapshot = useExternal(store);
  const [me, setMe] = useState<ProfileFragment>();
  const [openId, setOpenId] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  useActivity(live);
  useChatFromNotifications((chatId) => {
    setCreating(false);
    setOpenId(chatId);
  });

  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // The chat list first (offline at load: try again, 1 s doubling to 30 s), then everything live.
    const begin = (attempt: number): void =>
      void store.loadChats().then(
        () => {
          if (stopped) return;
          setError(undefined);
          store.start();
          // The viewer's own presence, for the "Hide my presence" setting.
          store.loadPresence(viewerId).catch(() => undefined);
        },
        (failure: unknown) => {
          if (stopped) return;
          setError(messageOf(failure));
          retry = setTimeout(() => begin(attempt + 1), Math.min(30_000, 1_000 * 2 ** attempt));
        },
      );
    begin(0);
    session.request(MeDocument).then(
      ({ me }) => setMe(me),
      (failure: unknown) => setError(messageOf(failure)),
    );
    return () => {
      stopped = true;
      clearTimeout(retry);
      store.stop();
    };
  }, [store, session]);

  const open = snapshot.chats.find((chat) => chat.id === openId);

  return (
    <div class="workspace">
      <Banner live={live} />
      <aside class="sidebar">
        <header class="me">
          <span class="avatar">{(me?.displayName ?? '?').slice(0, 1)}</span>
          <span class="name" data-testid="me">
            {me?.displayName ?? '…'}
          </span>
          <button type="button" class="link" onClick={() => void signOut(session)}>
            Sign out
          </button>
          <Notifications session={session} />
          <ExportData session={session} />
          <DeleteAccount session={session} />
          <HidePresence store={store} own={snapshot.presence[viewerId]} />
        </header>
        <button type="button" class="new-chat" onClick={() => setCreating(true)}>
          + New chat
        </button>
        <MessageSearch
          session={session}
          chats={snapshot.chats}
          onOpen={(chatId) => {
            setCreating(false);
            setOpenId(chatId);
          }}
        >
          <ChatList
            chats={snapshot.chats}
            openId={openId}
            onOpen={setOpenId}
            presence={snapshot.presence}
            viewerId={viewerId}
          />
        </MessageSearch>
      </aside>
      <main class="pane">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {me && !me.firstName && <NameForm session={session} onSaved={setMe} />}
        {creating ? (
          <NewChat
            session={session}
            onCancel={() => setCreating(false)}
            onCreated={(chatId) => {
              setCreating(false);
              setOpenId(chatId);
              void store.loadChats();
            }}
          />
        ) : open ? (
          <ChatView
            key={open.id}
            chat={open}
            store={store}
            sender={sender}
            snapshot={snapshot}
            session={session}
            uploads={props.uploads}
            viewerId={viewerId}
          />
        ) : (
          <div class="empty">
            {snapshot.chats.length > 0 ? 'Pick a chat on the left.' : 'No chats yet: start one with + New chat.'}
          </div>
        )}
      </main>
    </div>
  );
}

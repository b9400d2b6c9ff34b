import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore, ChatStoreSnapshot, ChatSummaryFragment, Sender, Session } from '@letstalk/sdk';
import { BlockButton } from './block-button.tsx';
import { MuteButton } from './mute-button.tsx';
import { chatTitle } from './chat-list.tsx';
import { Composer } from './composer.tsx';
import { messageOf } from './hooks.ts';
import { Message } from './message.tsx';
import { PinnedBar, usePinned } from './pinned-bar.tsx';
import { PresenceDot, presenceText } from './presence.tsx';
import { quoteFor, quoteOf } from './reply.tsx';
import type { UploadProgress } from './upload-progress.ts';

/** How close to the top (px) the history scrolls before older messages are read. */
const LOAD_MARGIN = 120;

/**
 * One chat: its pinned messages, its history (older pages as you scroll up), who is typing, and the composer
 * (which may reply). A direct chat's header can block the other person.
 */
export function ChatView(props: {
  chat: ChatSummaryFragment;
  store: ChatStore;
  sender: Sender;
  snapshot: ChatStoreSnapshot;
  session: Session;
  uploads: UploadProgress;
  viewerId: string;
}) {
  const { chat, store, snapshot, viewerId } = props;
  const messages = snapshot.messages[chat.id] ?? [];
  const typing = (snapshot.typing[chat.id] ?? []).filter((user) => user.id !== viewerId);
  const marks = snapshot.readMarks[chat.id] ?? {};
  const othersRead = Math.max(0, ...Object.entries(marks).flatMap(([id, seq]) => (id === viewerId ? [] : [seq])));
  const pins = usePinned(props.session, chat.id, snapshot.pins[chat.id] ?? 0);
  const canPin = chat.kind === 'DIRECT' || chat.viewerRole === 'OWNER' || chat.viewerRole === 'ADMIN';
  const forwardTo = snapshot.chats.filter((other) => other.id !== chat.id);
  const other = chat.kind === 'DIRECT' && chat.counterpart?.id !== viewerId ? chat.counterpart : null;
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  /** The message being answered: the bar above the composer shows it while it is there and not deleted. */
  const [replyToId, setReplyToId] = useState<string>();
  const replyingTo = messages.find((message) => message.status === 'sent' && message.id === replyToId);
  const answering = replyingTo?.status === 'sent' && !replyingTo.deletedAt ? replyingTo : undefined;
  const scroller = useRef<HTMLDivElement>(null);
  /** Distance from the bottom to keep when older messages are put on top; undefined: follow the bottom. */
  const keepFromBottom = useRef<number>();
  const atBottom = useRef(true);

  const loadOlder = () => {
    if (loading || !hasMore) return;
    const element = scroller.current;
    if (element && messages.length > 0) keepFromBottom.current = element.scrollHeight - element.scrollTop;
    setLoading(true);
    store.loadHistory(chat.id).then(
      (more) => {
        setHasMore(more);
        setLoading(false);
      },
      (failure: unknown) => {
        setError(messageOf(failure));
        setLoading(false);
      },
    );
  };

  // The newest page when the chat opens (the view is keyed by chat).
  useEffect(loadOlder, []);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (keepFromBottom.current !== undefined) {
      element.scrollTop = element.scrollHeight - keepFromBottom.current;
      keepFromBottom.current = undefined;
    } else if (atBottom.current) element.scrollTop = element.scrollHeight;
    // A first page that does not fill the pane: read on until it does (or the history ends).
    if (!loading && hasMore && element.scrollHeight <= element.clientHeight) loadOlder();
  });

  // The open chat is read: mark it so when something new arrives.
  const lastSeq = chat.lastMessage?.seq;
  useEffect(() => {
    if (chat.unreadCount > 0) store.markRead(chat.id).catch(() => undefined);
  }, [chat.id, chat.unreadCount, lastSeq, store]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    if (element.scrollTop < LOAD_MARGIN) loadOlder();
  };

  return (
    <section class="chat-view" aria-label={chatTitle(chat)}>
      <header class="chat-header">
        <h2>
          {chatTitle(chat)}
          {other && <PresenceDot presence={snapshot.presence[other.id] ?? other.presence} />}
        </h2>
        <span class="subtitle" data-testid="presence">
          {other
            ? presenceText(snapshot.presence[other.id] ?? other.presence)
            : chat.kind === 'GROUP'
              ? 'Group'
              : 'Notes'}
        </span>
        <MuteButton store={store} chat={chat} />
        {other && <BlockButton session={props.session} userId={other.id} />}
      </header>
      <PinnedBar pins={pins} />
      <div class="history" ref={scroller} onScroll={onScroll} data-testid="history">
        {loading && <div class="loading">Loading…</div>}
        {!hasMore && <div class="history-start">This is the beginning of the chat.</div>}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <ol class="messages">
          {messages.map((message, index) => {
            const previous = messages[index - 1];
            const sender = message.status === 'sent' ? message.sender.id : viewerId;
            const previousSender = previous && (previous.status === 'sent' ? previous.sender.id : viewerId);
            return (
              <Message
                key={message.clientMessageId || (message.status === 'sent' ? message.id : String(index))}
                message={message}
                own={sender === viewerId}
                showSender={chat.kind === 'GROUP' && sender !== viewerId && previousSender !== sender}
                readByOthers={message.status === 'sent' && message.seq <= othersRead}
                quote={quoteFor(message, messages)}
                onRetry={(id) => store.retry(id)}
                onReply={(original) => setReplyToId(original.id)}
                onReact={(original, emoji, add) =>
                  add
                    ? store.addReaction(chat.id, original.id, emoji)
                    : store.removeReaction(chat.id, original.id, emoji)
                }
                canPin={canPin}
                onPin={(original, pin) => (pin ? store.pin(chat.id, original.id) : store.unpin(chat.id, original.id))}
                forwardTo={forwardTo}
                onForward={(original, toChatId) => store.forward(original.id, toChatId)}
              />
            );
          })}
        </ol>
      </div>
      <div class="typing" aria-live="polite">
        {typing.length > 0 &&
          `${typing.map((user) => user.displayName).join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…`}
      </div>
      <Composer
        chatId={chat.id}
        session={props.session}
        uploads={props.uploads}
        replyingTo={answering && quoteOf(answering)}
        onCancelReply={() => setReplyToId(undefined)}
        onSend={(content) => {
          atBottom.current = true;
          const reply = answering ? { replyToId: answering.id } : {};
          if (typeof content === 'string') store.send(chat.id, content, reply);
          else props.sender.send(chat.id, { ...content, ...reply });
          setReplyToId(undefined);
        }}
      />
    </section>
  );
}

import { useState } from 'preact/hooks';
import type { ChatMessage, ChatSummaryFragment, MessageFieldsFragment } from '@letstalk/sdk';
import { messageOf, timeOf } from './hooks.ts';
import { MessageActions } from './message-actions.tsx';
import { ReactionChips } from './reactions.tsx';
import { Quote, type Quoted } from './reply.tsx';

type Sent = Extract<ChatMessage, { status: 'sent' }>;

function Body({ message }: { message: MessageFieldsFragment }) {
  if (message.deletedAt) return <p class="deleted">Message deleted</p>;
  if (!message.body) return message.text ? <p>{message.text}</p> : null;
  return (
    <div class={message.body.emojiOnly ? 'emoji-only' : undefined}>
      {message.body.paragraphs.map((paragraph, index) => (
        <p key={index}>
          {paragraph.spans.map((span, at) =>
            span.link ? (
              <a key={at} href={span.link} target="_blank" rel="noopener noreferrer">
                {span.text}
              </a>
            ) : (
              span.text
            ),
          )}
        </p>
      ))}
    </div>
  );
}

/** A size in bytes as people read it: 812 B, 4.2 KB, 13 MB. */
const sizeOf = (bytes: number) =>
  bytes < 1000 ? `${bytes} B` : bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;

/** An attached file: its name, size and type, downloaded (the server sends it as an attachment). */
function FileCard({ message }: { message: MessageFieldsFragment }) {
  const file = message.file;
  if (!file) return null;
  return (
    <a class="file-card" data-testid="file" href={file.url} download={file.name} rel="noopener noreferrer">
      <span class="file-icon" aria-hidden="true">
        📎
      </span>
      <span class="file-name">{file.name}</span>
      <span class="file-meta">
        {sizeOf(file.size)} · {file.contentType}
      </span>
    </a>
  );
}

function Image({ message }: { message: MessageFieldsFragment }) {
  const image = message.image;
  if (!image) return null;
  if (!image.thumbnail)
    return <div class="image-placeholder">{image.status === 'FAILED' ? 'Image failed' : '📷 Processing…'}</div>;
  return (
    <a href={image.display ?? image.thumbnail} target="_blank" rel="noopener noreferrer">
      <img
        class="thumbnail"
        data-testid="thumbnail"
        src={image.thumbnail}
        alt=""
        // The size is known before the picture arrives: the history does not jump when it does.
        style={image.width && image.height ? { aspectRatio: `${image.width} / ${image.height}` } : undefined}
      />
    </a>
  );
}

function LinkCard({ message }: { message: MessageFieldsFragment }) {
  const card = message.linkPreview;
  if (!card || card.status !== 'READY' || !card.title) return null;
  return (
    <a class="link-card" data-testid="link-card" href={card.url} target="_blank" rel="noopener noreferrer">
      {card.image?.thumbnail && <img src={card.image.thumbnail} alt="" />}
      <span>
        {card.siteName && <small>{card.siteName}</small>}
        <strong>{card.title}</strong>
        {card.description && <span class="description">{card.description}</span>}
      </span>
    </a>
  );
}

/**
 * One message: own on the right; pending, failed (with Retry), sent, or read by someone. A reply shows its
 * quote, a forwarded copy says so; a sent message that is not deleted has its reactions and its actions (React,
 * Reply, Pin for those who may, Forward to one of `forwardTo`).
 */
export function Message(props: {
  message: ChatMessage;
  own: boolean;
  showSender: boolean;
  readByOthers: boolean;
  quote: Quoted | null;
  onRetry: (clientMessageId: string) => void;
  onReply: (message: MessageFieldsFragment) => void;
  onReact: (message: MessageFieldsFragment, emoji: string, add: boolean) => Promise<void>;
  /** Whether the viewer may pin and unpin in this chat. */
  canPin: boolean;
  onPin: (message: MessageFieldsFragment, pin: boolean) => Promise<void>;
  forwardTo: readonly ChatSummaryFragment[];
  onForward: (message: MessageFieldsFragment, toChatId: string) => Promise<unknown>;
}) {
  const { message, own } = props;
  const sent: Sent | undefined = message.status === 'sent' ? message : undefined;
  const live = sent && !sent.deletedAt ? sent : undefined;
  const [error, setError] = useState<string>();
  /** Runs an action on the message; a failure shows under it. */
  const act = (action: (target: MessageFieldsFragment) => Promise<unknown>) => {
    if (!live) return;
    setError(undefined);
    action(live).catch((failure: unknown) => setError(messageOf(failure)));
  };
  const react = (emoji: string, add: boolean) => act((original) => props.onReact(original, emoji, add));
  return (
    <li
      class={`message ${own ? 'own' : 'theirs'} ${message.status}`}
      data-testid="message"
      data-status={message.status}
      data-seq={sent?.seq}
    >
      <div class="message-row">
        <div class="bubble">
          {props.showSender && sent && <span class="sender">{sent.sender.displayName}</span>}
          {sent?.forwarded && !sent.deletedAt && <span class="forwarded">Forwarded</span>}
          {props.quote && !sent?.deletedAt && <Quote quote={props.quote} />}
          {sent ? (
            <>
              <Image message={sent} />
              <FileCard message={sent} />
              <Body message={sent} />
              <LinkCard message={sent} />
            </>
          ) : (
            <>
              {message.status !== 'sent' && message.imageId && <div class="image-placeholder">Sending image…</div>}
              {message.status !== 'sent' && message.fileId && <div class="image-placeholder">Sending file…</div>}
              {message.text && <p>{message.text}</p>}
            </>
          )}
          <span class="meta">
            {sent?.pinned && <span title="Pinned">📌 </span>}
            {timeOf(message.createdAt)}
            {own && message.status === 'pending' && <span title="Sending"> · sending…</span>}
            {own && sent && (
              <span title={props.readByOthers ? 'Read' : 'Sent'}>{props.readByOthers ? ' ✓✓' : ' ✓'}</span>
            )}
          </span>
        </div>
        {live && (
          <MessageActions
            onReact={(emoji) => react(emoji, true)}
            onReply={() => props.onReply(live)}
            pin={
              props.canPin
                ? { pinned: live.pinned, toggle: () => act((original) => props.onPin(original, !live.pinned)) }
                : undefined
            }
            forwardTo={props.forwardTo}
            onForward={(chatId) => act((original) => props.onForward(original, chatId))}
          />
        )}
      </div>
      {live && <ReactionChips reactions={live.reactions} onToggle={react} />}
      {error && (
        <span class="error action-error" role="alert">
          {error}
        </span>
      )}
      {message.status === 'failed' && (
        <button type="button" class="retry" onClick={() => props.onRetry(message.clientMessageId)}>
          Not sent · Retry
        </button>
      )}
    </li>
  );
}

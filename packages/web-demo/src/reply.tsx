import type { ChatMessage, MessageFieldsFragment } from '@letstalk/sdk';

/** What a reply shows of the message it answers (the server's `QuotedMessage`). */
export type Quoted = NonNullable<MessageFieldsFragment['replyTo']>;

/** A message as a quote, the way the server makes one (the text's lines joined; the CSS cuts it short). */
export function quoteOf(message: MessageFieldsFragment): Quoted {
  const deleted = message.deletedAt !== null;
  return {
    id: message.id,
    sender: message.sender,
    excerpt: deleted || message.text === null ? null : message.text.replace(/\s+/gu, ' ').trim(),
    hasImage: !deleted && message.image !== null,
    hasFile: !deleted && message.file !== null,
    deleted,
  };
}

/**
 * The quote a message shows: a sent one's `replyTo`; for one on its way, the message it answers as the chat
 * has it now (null when that one is not loaded).
 */
export function quoteFor(message: ChatMessage, messages: readonly ChatMessage[]): Quoted | null {
  if (message.status === 'sent') return message.replyTo ?? null;
  if (!message.replyToId) return null;
  const original = messages.find((entry) => entry.status === 'sent' && entry.id === message.replyToId);
  return original?.status === 'sent' ? quoteOf(original) : null;
}

/**
 * The quoted text: the excerpt, "Photo" for an image alone, "File" for a file alone, "Deleted message" once the
 * original is gone.
 */
export function Excerpt({ quote }: { quote: Quoted }) {
  if (quote.deleted) return <em>Deleted message</em>;
  if (quote.excerpt) return <>{quote.excerpt}</>;
  if (quote.hasImage)
    return (
      <>
        <span aria-hidden="true">📷 </span>Photo
      </>
    );
  return quote.hasFile ? (
    <>
      <span aria-hidden="true">📎 </span>File
    </>
  ) : null;
}

/** The message a reply answers, above the reply's text. */
export function Quote({ quote }: { quote: Quoted }) {
  return (
    <blockquote class="quote" data-testid="quote">
      <span class="quote-sender">{quote.sender.displayName}</span>
      <span class="quote-text">
        <Excerpt quote={quote} />
      </span>
    </blockquote>
  );
}

/** Above the composer while a reply is written: to whom, what, and × to write a plain message instead. */
export function ReplyBar({ quote, onCancel }: { quote: Quoted; onCancel: () => void }) {
  return (
    <div class="reply-bar" data-testid="reply-bar">
      <span class="reply-text">
        Replying to <strong>{quote.sender.displayName}</strong>: <Excerpt quote={quote} />
      </span>
      <button type="button" aria-label="Cancel reply" title="Cancel reply" onClick={onCancel}>
        ×
      </button>
    </div>
  );
}

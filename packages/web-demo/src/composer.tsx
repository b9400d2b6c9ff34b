import { useEffect, useRef, useState } from 'preact/hooks';
import { SetTypingDocument, UploadFileDocument, UploadImageDocument, type Session } from '@letstalk/sdk';
import { messageOf, useExternal } from './hooks.ts';
import { ReplyBar, type Quoted } from './reply.tsx';
import type { UploadProgress } from './upload-progress.ts';

/** How often (ms) "typing" is said again while the person keeps typing. */
const TYPING_EVERY_MS = 3_000;
/** What `uploadImage` takes (by the type the browser gives); any other file is sent as a file. */
const IMAGE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/avif',
]);

/**
 * The message box: Enter sends, Shift+Enter breaks the line; the 📎 button sends a picture as an image, any other
 * file as a file (a download). While a reply is
 * written, the bar above says to what; Escape or its × makes it a plain message again.
 */
export function Composer(props: {
  chatId: string;
  session: Session;
  uploads: UploadProgress;
  replyingTo: Quoted | undefined;
  onCancelReply: () => void;
  onSend: (content: string | { imageId: string } | { fileId: string }) => void;
}) {
  const [text, setText] = useState('');
  const [uploading, setUploading] = useState<'image' | 'file'>();
  const [error, setError] = useState<string>();
  const lastTyping = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const progress = useExternal(props.uploads);

  // Reply clicked: the reply is written at once.
  const replyId = props.replyingTo?.id;
  useEffect(() => {
    if (replyId) box.current?.focus();
  }, [replyId]);

  const send = () => {
    const trimmed = text.trim();
    if (!trimmed) return;
    props.onSend(trimmed);
    setText('');
    lastTyping.current = 0;
  };

  const typed = (value: string) => {
    setText(value);
    if (value && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      props.session.request(SetTypingDocument, { chatId: props.chatId }).catch(() => undefined);
    }
  };

  const sendAttachment = (file: File) => {
    const image = IMAGE_TYPES.has(file.type);
    setUploading(image ? 'image' : 'file');
    setError(undefined);
    const sent = image
      ? props.session
          .upload(UploadImageDocument, { file })
          .then(({ uploadImage }) => props.onSend({ imageId: uploadImage.id }))
      : props.session
          .upload(UploadFileDocument, { file })
          .then(({ uploadFile }) => props.onSend({ fileId: uploadFile.id }));
    sent
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => {
        setUploading(undefined);
        if (fileInput.current) fileInput.current.value = '';
      });
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {props.replyingTo && <ReplyBar quote={props.replyingTo} onCancel={props.onCancelReply} />}
      {uploading && (
        <label class="upload-progress">
          Uploading {uploading}… {progress !== undefined && `${Math.round(progress * 100)} %`}
          <progress max={1} value={progress} />
        </label>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label class="attach" title="Send a picture or a file">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
          />
        </svg>
        <input
          ref={fileInput}
          type="file"
          aria-label="Send a picture or a file"
          disabled={uploading !== undefined}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) sendAttachment(file);
          }}
        />
      </label>
      <textarea
        ref={box}
        rows={1}
        placeholder={uploading ? `Uploading ${uploading}…` : 'Write a message'}
        aria-label="Message"
        value={text}
        onInput={(event) => typed(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            send();
          } else if (event.key === 'Escape' && props.replyingTo) props.onCancelReply();
        }}
      />
      <button type="submit" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}

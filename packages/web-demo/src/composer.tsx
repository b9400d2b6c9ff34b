import { useRef, useState } from 'preact/hooks';
import { SetTypingDocument, UploadImageDocument, type Session } from '@letstalk/sdk';
import { messageOf, useExternal } from './hooks.ts';
import type { UploadProgress } from './upload-progress.ts';

/** How often (ms) "typing" is said again while the person keeps typing. */
const TYPING_EVERY_MS = 3_000;

/** The message box: Enter sends, Shift+Enter breaks the line; the 📎 button sends an image. */
export function Composer(props: {
  chatId: string;
  session: Session;
  uploads: UploadProgress;
  onSend: (content: string | { imageId: string }) => void;
}) {
  const [text, setText] = useState('');
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string>();
  const lastTyping = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const progress = useExternal(props.uploads);

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

  const sendImage = (file: File) => {
    setUploading(true);
    setError(undefined);
    props.session
      .upload(UploadImageDocument, { file })
      .then(({ uploadImage }) => props.onSend({ imageId: uploadImage.id }))
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => {
        setUploading(false);
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
      {uploading && (
        <label class="upload-progress">
          Uploading image… {progress !== undefined && `${Math.round(progress * 100)} %`}
          <progress max={1} value={progress} />
        </label>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label class="attach" title="Send an image">
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
          accept="image/*"
          aria-label="Send an image"
          disabled={uploading}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) sendImage(file);
          }}
        />
      </label>
      <textarea
        rows={1}
        placeholder={uploading ? 'Uploading image…' : 'Write a message'}
        aria-label="Message"
        value={text}
        onInput={(event) => typed(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}

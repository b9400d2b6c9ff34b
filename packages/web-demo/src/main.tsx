import { render } from 'preact';
import { createLive, createSession, localStorageAdapter } from '@letstalk/sdk';
import { App } from './app.tsx';
import { loadConfig } from './config.ts';
import { createUploadProgress } from './upload-progress.ts';
import './styles.css';
// Before chat.css, whose narrow-screen rules widen the bubbles.
import './message.css';
import './chat.css';
import './search.css';

const root = document.getElementById('app')!;

loadConfig().then(
  ({ gatewayUrl }) => {
    // Tokens survive reloads and are shared by the tabs of this origin.
    const uploads = createUploadProgress();
    const storage = localStorageAdapter(localStorage);
    const session = createSession({ url: gatewayUrl, storage, fetch: uploads.fetch });
    const live = createLive({ url: gatewayUrl, auth: session });
    render(<App session={session} live={live} uploads={uploads} />, root);
  },
  (error: unknown) => {
    root.textContent = `Could not start: ${String(error)}`;
  },
);

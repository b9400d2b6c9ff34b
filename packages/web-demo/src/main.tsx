import { render } from 'preact';
import { createLive, createSession, localStorageAdapter } from '@letstalk/sdk';
import { App } from './app.tsx';
import { loadConfig } from './config.ts';
import './styles.css';
import './chat.css';

const root = document.getElementById('app')!;

loadConfig().then(
  ({ gatewayUrl }) => {
    // Tokens survive reloads and are shared by the tabs of this origin.
    const session = createSession({ url: gatewayUrl, storage: localStorageAdapter(localStorage) });
    const live = createLive({ url: gatewayUrl, auth: session });
    render(<App session={session} live={live} />, root);
  },
  (error: unknown) => {
    root.textContent = `Could not start: ${String(error)}`;
  },
);

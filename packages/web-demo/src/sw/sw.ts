/// <reference lib="webworker" />
/**
 * The demo web chat's service worker, served at the demo's root as `sw.js` (built apart from the page by
 * vite.config.ts, so it is one classic script whose scope is the whole demo). It shows each Web Push the
 * notification worker sends (one notification per chat, replaced by the chat's next one) and opens that chat when
 * the notification is clicked: in a window of the demo already open, else in a new one.
 */
import { chatLink, openChatMessage } from '../chat-link.ts';
import { chatIdOf, notificationOf, parsePayload } from './notification.ts';

declare const self: ServiceWorkerGlobalScope;

// A new version takes over at once: it has no state of its own to hand over.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const shown = notificationOf(parsePayload(event.data?.text()));
  event.waitUntil(self.registration.showNotification(shown.title, shown.options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const chatId = chatIdOf(event.notification.data);
  event.waitUntil(
    (async () => {
      // A window showing the demo (not another page of its origin, such as its config.json), the focused one first.
      const page = new URL(self.registration.scope).pathname;
      const windows = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).filter((client) =>
        [page, `${page}index.html`].includes(new URL(client.url).pathname),
      );
      const open = windows.find((client) => client.focused) ?? windows[0];
      if (open) {
        // Told first: focusing may be refused (a browser lets only a click's handler do it), the chat still opens.
        if (chatId) open.postMessage(openChatMessage(chatId));
        await open.focus();
        return;
      }
      await self.clients.openWindow(chatId ? chatLink(self.registration.scope, chatId) : self.registration.scope);
    })(),
  );
});

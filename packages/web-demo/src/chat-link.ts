/**
 * How a notification's click opens a chat in the demo, shared by the page and its service worker (which builds
 * apart from it, so each bundles this small module). A window of the demo already open is told by a message; with
 * none, the service worker opens the demo at `./?chat=<id>`, which the page reads when it starts.
 */

/** The query parameter naming the chat to open. */
const CHAT_PARAM = 'chat';
/** The `type` of the message a service worker posts to an open window. */
const OPEN_CHAT = 'letstalk:open-chat';

/** The demo's address that opens `chatId`: `scope` is the service worker's scope, the demo's root. */
export function chatLink(scope: string, chatId: string): string {
  const url = new URL('./', scope);
  url.searchParams.set(CHAT_PARAM, chatId);
  return url.href;
}

/** The chat a page address asks to open, if any. */
export const chatOfLink = (href: string): string | undefined => new URL(href).searchParams.get(CHAT_PARAM) || undefined;

/** The address without its chat parameter: the page shows it once the chat is open, so a reload does not reopen it. */
export function withoutChat(href: string): string {
  const url = new URL(href);
  url.searchParams.delete(CHAT_PARAM);
  return url.href;
}

/** What a service worker posts to an open window to open `chatId` in it. */
export const openChatMessage = (chatId: string) => ({ type: OPEN_CHAT, chatId });

/** The chat a message from the service worker asks to open; undefined for any other message. */
export function chatOfMessage(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, chatId } = data as { type?: unknown; chatId?: unknown };
  return type === OPEN_CHAT && typeof chatId === 'string' && chatId ? chatId : undefined;
}

/**
 * What the demo's service worker shows for a push. The notification worker (subgraphs/user, notifier.ts) sends JSON:
 * `title` (a group's name or the sender of a direct chat), `body` (the sender and the start of the message, or
 * "New message" with previews off), `chatId` and `messages` (how many it stands for).
 */
export interface ShownNotification {
  title: string;
  options: { body: string; tag: string; data: { chatId: string | undefined } };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const fieldsOf = (value: unknown) =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** The chat a push's payload, or a shown notification's `data`, is about. */
export const chatIdOf = (value: unknown): string | undefined => text(fieldsOf(value)['chatId']) || undefined;

/**
 * The notification for a push's payload (its text parsed as JSON, or undefined). One tag per chat, so a newer
 * burst of the same chat replaces the notification left from the last one instead of piling up. A payload that is
 * not ours still shows something: a push to a subscription with `userVisibleOnly` must show a notification.
 */
export function notificationOf(payload: unknown): ShownNotification {
  const fields = fieldsOf(payload);
  const chatId = chatIdOf(payload);
  return {
    title: text(fields['title']) || 'LetsTalk',
    options: { body: text(fields['body']) ?? 'New message', tag: `chat:${chatId ?? 'unknown'}`, data: { chatId } },
  };
}

/** A push's text as JSON; undefined when it is not JSON (or empty). */
export function parsePayload(text: string | undefined): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

import type { TypingSubscription } from './generated/graphql.ts';

type Typist = { id: string; displayName: string; expiresAt: string };

/** Who is typing in each chat, each until their latest signal expires (one timer per typist). */
export function createTypingBook(now: () => number, changed: () => void) {
  const typing = new Map<string, Map<string, Typist>>();
  const expiries = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    add(event: TypingSubscription['typing']): void {
      let users = typing.get(event.chatId);
      if (!users) typing.set(event.chatId, (users = new Map<string, Typist>()));
      users.set(event.user.id, { ...event.user, expiresAt: event.expiresAt });
      changed();
      // The list is made again when this typist's latest signal expires.
      const key = `${event.chatId}/${event.user.id}`;
      clearTimeout(expiries.get(key));
      const delay = Math.max(0, Date.parse(event.expiresAt) - now()) + 10;
      expiries.set(
        key,
        setTimeout(() => {
          expiries.delete(key);
          changed();
        }, delay),
      );
    },
    /** Per chat, who is typing at `at`. */
    snapshot: (at: number): Record<string, Typist[]> =>
      Object.fromEntries(
        [...typing].map(([chatId, users]) => [
          chatId,
          [...users.values()].filter((user) => Date.parse(user.expiresAt) > at),
        ]),
      ),
    clear(): void {
      for (const timer of expiries.values()) clearTimeout(timer);
      expiries.clear();
    },
  };
}

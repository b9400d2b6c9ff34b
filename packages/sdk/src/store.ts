import {
  ChatReadDocument,
  ChatsDocument,
  ChatUpdatedDocument,
  MarkChatReadDocument,
  MessagesDocument,
  MessageUpdatedDocument,
  PresenceChangedDocument,
  PresenceDocument,
  SendMessageDocument,
  SetPresenceHiddenDocument,
  TypingDocument,
  type ChatSummaryFragment,
  type MessageFieldsFragment,
  type PresenceFieldsFragment,
} from './generated/graphql.ts';
import { fresher } from './chat-summary.ts';
import type { Live } from './live.ts';
import { chatActions } from './chat-actions.ts';
import { messageActions, type Request } from './message-actions.ts';
import { createPresenceBook } from './presence-book.ts';
import { quoteOf } from './quote.ts';
import { createSender, type OutgoingMessage, type Sender } from './send.ts';
import { createTypingBook } from './typing-book.ts';

/**
 * A message in a chat's timeline: one the server has (`sent`), or one on its way (`pending`, `failed`).
 * @public
 */
export type ChatMessage = (MessageFieldsFragment & { readonly status: 'sent' }) | OutgoingMessage;

/** @public */
export interface ChatStoreSnapshot {
  /** The viewer's chats, most recently active first, with their unread counts. */
  readonly chats: readonly ChatSummaryFragment[];
  /** Per chat: the messages by seq, then the ones on their way. */
  readonly messages: Readonly<Record<string, readonly ChatMessage[]>>;
  /** Per chat: who is typing (until `expiresAt`). */
  readonly typing: Readonly<Record<string, readonly { id: string; displayName: string; expiresAt: string }[]>>;
  /** Per chat: each member's last read seq. */
  readonly readMarks: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per chat: a count that moves when its pins change (live, or after a reconnection): read `Chat.pinned` then. */
  readonly pins: Readonly<Record<string, number>>;
  /** By user id: the presence of each direct chat's other person, and of anyone `presenceChanged` told of. */
  readonly presence: Readonly<Record<string, PresenceFieldsFragment>>;
}

/** @public */
export interface ChatStoreOptions {
  /** Runs queries and mutations: a {@link Session}'s `request`, or a client's. */
  request: Request;
  live?: Live;
  /** The signed-in user (own messages are not unread). */
  viewerId: () => string | undefined;
  /** Sends messages; one over `request` by default. */
  sender?: Sender;
  now?: () => number;
}

const HISTORY_PAGE = 50;

/**
 * A framework-agnostic chat store (`subscribe`/`getSnapshot`, for React's useSyncExternalStore or any UI):
 * chats with unread counts, messages per chat, typing, read marks; fed by the queries and, once `start`ed, by
 * the live subscriptions (messages resume by themselves; the chat list is read again after a reconnection).
 * @public
 */
export function createChatStore(options: ChatStoreOptions) {
  const now = options.now ?? Date.now;
  const sender =
    options.sender ??
    createSender({
      send: (input) => options.request(SendMessageDocument, { input }).then((result) => result.sendMessage),
    });
  const chats = new Map<string, ChatSummaryFragment>();
  const timelines = new Map<string, Map<string, MessageFieldsFragment>>();
  const readMarks = new Map<string, Map<string, number>>();
  const listeners = new Set<() => void>();
  const stops: (() => void)[] = [];
  const pins = new Map<string, number>();
  const presence = createPresenceBook();
  let snapshot: ChatStoreSnapshot = { chats: [], messages: {}, typing: {}, readMarks: {}, pins: {}, presence: {} };

  function changed() {
    const outgoing = sender.getSnapshot();
    const chatIds = new Set([...timelines.keys(), ...outgoing.map((message) => message.chatId)]);
    const messages: Record<string, ChatMessage[]> = {};
    for (const chatId of chatIds) {
      const sent = [...(timelines.get(chatId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
      const settled = new Set(sent.map((message) => message.clientMessageId));
      messages[chatId] = [
        ...sent.map((message) => ({ ...message, status: 'sent' as const })),
        ...outgoing.filter((message) => message.chatId === chatId && !settled.has(message.clientMessageId)),
      ];
    }
    const at = now();
    snapshot = {
      chats: [...chats.values()].sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt)),
      messages,
      typing: typing.snapshot(at),
      readMarks: Object.fromEntries([...readMarks].map(([chatId, marks]) => [chatId, Object.fromEntries(marks)])),
      pins: Object.fromEntries(pins),
      presence: presence.snapshot(),
    };
    for (const listener of [...listeners]) listener();
  }

  const typing = createTypingBook(now, changed);

  const timeline = (chatId: string) => {
    let messages = timelines.get(chatId);
    if (!messages) timelines.set(chatId, (messages = new Map<string, MessageFieldsFragment>()));
    return messages;
  };

  /**
   * A message from the server (history, live, or the answer to sending it): kept once, by id. Replies quoting
   * it follow it: an edit changes their excerpt, a deletion empties it (as the server would answer them now).
   */
  function put(chatId: string, message: MessageFieldsFragment, isNew: boolean) {
    const messages = timeline(chatId);
    const known = messages.has(message.id);
    messages.set(message.id, message);
    for (const reply of messages.values()) {
      if (reply.replyTo?.id !== message.id) continue;
      messages.set(reply.id, { ...reply, replyTo: { ...reply.replyTo, ...quoteOf(message) } });
    }
    const chat = chats.get(chatId);
    if (!chat) return;
    const latest = !chat.lastMessage || chat.lastMessage.seq <= message.seq;
    const unread = isNew && !known && message.sender.id !== options.viewerId() ? 1 : 0;
    chats.set(chatId, {
      ...chat,
      ...(latest ? { lastMessage: message } : {}),
      lastActivityAt: message.createdAt > chat.lastActivityAt ? message.createdAt : chat.lastActivityAt,
      unreadCount: chat.unreadCount + unread,
    });
  }

  function setReadMark(chatId: string, userId: string, seq: number) {
    let marks = readMarks.get(chatId);
    if (!marks) readMarks.set(chatId, (marks = new Map<string, number>()));
    marks.set(userId, Math.max(seq, marks.get(userId) ?? 0));
    const chat = chats.get(chatId);
    if (!chat || userId !== options.viewerId()) return;
    const unread = [...timeline(chatId).values()].filter(
      (message) => message.seq > seq && message.sender.id !== userId,
    ).length;
    chats.set(chatId, { ...chat, unreadCount: Math.min(chat.unreadCount, unread) });
  }

  sender.subscribe(changed);
  sender.onSent((message, chatId) => {
    put(chatId, message, false);
    changed();
  });

  const store = {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): ChatStoreSnapshot => snapshot,

    /** Reads the chat list (the 50 most recently active chats, the most one page holds). */
    async loadChats(): Promise<void> {
      const { chats: page } = await options.request(ChatsDocument, { first: 50 });
      chats.clear();
      for (const { node } of page.edges) chats.set(node.id, node);
      presence.fromChats(chats.values());
      changed();
    },

    /**
     * Reads a page of older messages of a chat (the newest ones the first time); false when there are no more.
     * History pages run newest first: `first`/`after` goes back in time.
     */
    async loadHistory(chatId: string): Promise<boolean> {
      const oldest = [...timeline(chatId).values()].reduce<number | undefined>(
        (min, message) => (min === undefined || message.seq < min ? message.seq : min),
        undefined,
      );
      const { messages: page } = await options.request(MessagesDocument, {
        chatId,
        first: HISTORY_PAGE,
        ...(oldest !== undefined ? { after: String(oldest) } : {}),
      });
      for (const { node } of page.edges) put(chatId, node, false);
      changed();
      return page.pageInfo.hasNextPage;
    },

    /** Follows every chat live: messages resume from the last one known of each chat. */
    start(): void {
      const live = options.live;
      if (!live) throw new Error('createChatStore: start() needs the `live` option.');
      const since = Object.fromEntries(
        [...chats.values()].map((chat) => [
          chat.id,
          Math.max(chat.lastMessage?.seq ?? 0, ...[...timeline(chat.id).values()].map((message) => message.seq)),
        ]),
      );
      const added = live.messages({ since }, (message) => {
        sender.received(message);
        if (!chats.has(message.chat.id)) void store.loadChats().catch(() => undefined);
        put(message.chat.id, message, true);
        changed();
      });
      const followers = [
        live.follow(MessageUpdatedDocument, {}, ({ messageUpdated: message }) => {
          const chat = chats.get(message.chat.id);
          const loaded = [...timeline(message.chat.id).values()];
          // One older than the history read so far is read with its page, as it is then (kept now, it would sit
          // apart from the rest); any other is kept, even before its messageAdded (the two streams race).
          if (loaded.length === 0 || loaded.some((known) => known.seq <= message.seq))
            put(message.chat.id, message, false);
          else if (chat?.lastMessage?.id === message.id) chats.set(chat.id, { ...chat, lastMessage: message });
          changed();
        }),
        live.follow(ChatUpdatedDocument, {}, ({ chatUpdated: update }) => {
          if (update.kind === 'PINS_CHANGED') pins.set(update.chatId, (pins.get(update.chatId) ?? 0) + 1);
          if (update.kind === 'REMOVED' || !update.chat) {
            chats.delete(update.chatId);
            timelines.delete(update.chatId);
          } else chats.set(update.chatId, fresher(chats.get(update.chatId), update.chat));
          presence.fromChats([update.chat]);
          changed();
        }),
        live.follow(PresenceChangedDocument, {}, ({ presenceChanged }) => {
          presence.set(presenceChanged);
          changed();
        }),
        live.follow(TypingDocument, {}, ({ typing: event }) => typing.add(event)),
        live.follow(ChatReadDocument, {}, ({ chatRead: event }) => {
          setReadMark(event.chatId, event.user.id, event.lastReadSeq);
          changed();
        }),
      ];
      // Only messages are replayed: the rest (unread counts, names, who left) is read again.
      const stopResumed = live.onResumed(() => {
        for (const chatId of chats.keys()) pins.set(chatId, (pins.get(chatId) ?? 0) + 1);
        void store.loadChats().catch(() => undefined);
      });
      stops.push(added.stop, ...followers.map((follower) => follower.stop), stopResumed);
    },

    /**
     * Sends a message, a reply with `replyToId` (`Message.id` of the chat's message it answers); it shows at once
     * as pending (see {@link createSender}).
     */
    send: (chatId: string, text: string, options?: { replyToId?: string }) => sender.send(chatId, { text, ...options }),
    retry: (clientMessageId: string) => sender.retry(clientMessageId),
    discard: (clientMessageId: string) => sender.discard(clientMessageId),

    ...messageActions(options.request, (chatId, message) => {
      put(chatId, message, false);
      changed();
    }),
    ...chatActions(options.request, (chat) => {
      chats.set(chat.id, fresher(chats.get(chat.id), chat));
      changed();
    }),

    /** Marks a chat read up to its last message. */
    async markRead(chatId: string): Promise<void> {
      const last = chats.get(chatId)?.lastMessage;
      if (!last) return;
      const { markChatRead } = await options.request(MarkChatReadDocument, { chatId, upToMessageId: last.id });
      const chat = chats.get(chatId);
      if (chat) chats.set(chatId, { ...chat, unreadCount: markChatRead.unreadCount });
      const viewerId = options.viewerId();
      const mark = markChatRead.readMarks.find((entry) => entry.user.id === viewerId);
      if (viewerId && mark) setReadMark(chatId, viewerId, mark.lastReadSeq);
      changed();
    },

    /** Reads one person's presence (the viewer's own, for their setting); NOT_FOUND for someone in no shared chat. */
    async loadPresence(userId: string): Promise<void> {
      presence.set((await options.request(PresenceDocument, { userId })).presence);
      changed();
    },

    /** Hides the viewer's presence from everyone else, or shows it again (`Presence.hidden` of their own). */
    async setPresenceHidden(hidden: boolean): Promise<void> {
      presence.set((await options.request(SetPresenceHiddenDocument, { hidden })).setPresenceHidden);
      changed();
    },

    /** Stops following live (the live connection itself stays the caller's). */
    stop(): void {
      for (const stop of stops.splice(0)) stop();
      typing.clear();
    },
  };
  return store;
}

/** @public */
export type ChatStore = ReturnType<typeof createChatStore>;

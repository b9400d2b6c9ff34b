import { describe, expect, it } from 'vitest';
import type { ChatSummaryFragment } from './generated/graphql.ts';
import type { Live, LiveMessage } from './live.ts';
import { LetsTalkError } from './client.ts';
import { createSender } from './send.ts';
import { controlledSend, serverMessage } from './test-fixtures.ts';
import { createChatStore } from './store.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

const chat = (id: string, lastSeq: number, unreadCount = 0) =>
  ({
    id,
    kind: 'DIRECT',
    name: id,
    viewerRole: 'MEMBER',
    unreadCount,
    lastActivityAt: new Date(Date.UTC(2025, 0, 1, 0, 0, lastSeq)).toISOString(),
    counterpart: null,
    photo: null,
    lastMessage: lastSeq ? serverMessage({ chatId: id, clientMessageId: `old-${lastSeq}` }, lastSeq) : null,
  }) as ChatSummaryFragment;

/** A live connection the test feeds by hand. */
function fakeLive() {
  const handlers: Record<string, (data: never) => void> = {};
  let onMessage: ((message: LiveMessage) => void) | undefined;
  let since: Record<string, number> | undefined;
  const live = {
    messages: (target: { since: Record<string, number> }, handler: (message: LiveMessage) => void) => {
      since = target.since;
      onMessage = handler;
      return { stop: () => undefined, cursors: () => ({}) };
    },
    follow: (
      document: { definitions: { name?: { value: string } }[] },
      _v: unknown,
      handler: (data: never) => void,
    ) => {
      handlers[document.definitions[0]!.name!.value] = handler;
      return { stop: () => undefined };
    },
    onResumed: () => () => undefined,
  } as unknown as Live;
  return {
    live,
    since: () => since,
    add: (message: LiveMessage) => onMessage!(message),
    emit: (name: string, data: unknown) => handlers[name]!(data as never),
  };
}

async function storeWith(chats: ChatSummaryFragment[]) {
  const { send, calls } = controlledSend();
  const feed = fakeLive();
  const store = createChatStore({
    request: async () => ({ chats: { edges: chats.map((node) => ({ cursor: node.id, node })) } }) as never,
    live: feed.live,
    viewerId: () => 'me',
    sender: createSender({ send }),
  });
  await store.loadChats();
  store.start();
  return { store, feed, calls };
}

const live = (message: ReturnType<typeof serverMessage>, sender = 'me') => ({
  ...message,
  sender: { id: sender, displayName: sender },
  chat: { id: message.id.split(':')[0]! },
});

describe('chat store', () => {
  it('resumes every chat from its last message', async () => {
    const { feed } = await storeWith([chat('a', 3), chat('b', 0)]);
    expect(feed.since()).toEqual({ a: 3, b: 0 });
  });

  it('answer then live: one message, pending until the answer', async () => {
    const { store, feed, calls } = await storeWith([chat('a', 0)]);
    const pending = store.send('a', 'hi');
    expect(store.getSnapshot().messages.a).toEqual([pending]);
    await tick();
    const message = serverMessage(calls[0]!.input, 1);
    calls[0]!.resolve(message);
    await tick();
    feed.add(live(message));
    expect(store.getSnapshot().messages.a).toEqual([{ ...live(message), status: 'sent' }]);
    expect(store.getSnapshot().chats[0]!.unreadCount).toBe(0);
  });

  it('a failed message is sent again with retry, or dropped with discard', async () => {
    const { store, calls } = await storeWith([chat('a', 0), chat('b', 0)]);
    const refused = () => new LetsTalkError([{ message: 'no', extensions: { code: 'BAD_USER_INPUT' } }], 200);
    const first = store.send('a', 'once');
    const second = store.send('b', 'twice');
    await tick();
    calls[0]!.reject(refused());
    calls[1]!.reject(refused());
    await tick();
    expect([store.getSnapshot().messages.a, store.getSnapshot().messages.b]).toEqual([
      [expect.objectContaining({ status: 'failed' })],
      [expect.objectContaining({ status: 'failed' })],
    ]);
    store.retry(first.clientMessageId);
    store.discard(second.clientMessageId);
    expect(store.getSnapshot().messages.a).toEqual([expect.objectContaining({ text: 'once', status: 'pending' })]);
    expect(store.getSnapshot().messages.b ?? []).toEqual([]);
    expect(calls).toHaveLength(3);
  });

  it('live then answer: one message', async () => {
    const { store, feed, calls } = await storeWith([chat('a', 0)]);
    store.send('a', 'hi');
    await tick();
    const message = serverMessage(calls[0]!.input, 1);
    feed.add(live(message));
    expect(store.getSnapshot().messages.a).toHaveLength(1);
    calls[0]!.resolve(message);
    await tick();
    expect(store.getSnapshot().messages.a).toEqual([expect.objectContaining({ id: 'a:1', status: 'sent' })]);
  });

  it('orders messages by seq with the pending ones after, counts unread, and clears them on the read mark', async () => {
    const { store, feed } = await storeWith([chat('a', 0), chat('b', 0)]);
    store.send('a', 'mine');
    feed.add(live(serverMessage({ chatId: 'a', clientMessageId: 'x2' }, 2), 'you'));
    feed.add(live(serverMessage({ chatId: 'a', clientMessageId: 'x1' }, 1), 'you'));
    const messages = store.getSnapshot().messages.a!;
    expect(messages.map((message) => message.status)).toEqual(['sent', 'sent', 'pending']);
    expect(messages.slice(0, 2).map((message) => 'seq' in message && message.seq)).toEqual([1, 2]);
    const { chats } = store.getSnapshot();
    expect(chats.map((entry) => [entry.id, entry.unreadCount])).toEqual([
      ['a', 2],
      ['b', 0],
    ]);
    feed.emit('ChatRead', { chatRead: { chatId: 'a', lastReadSeq: 2, lastReadMessageId: 'a:2', user: { id: 'me' } } });
    expect(store.getSnapshot().chats[0]!.unreadCount).toBe(0);
    expect(store.getSnapshot().readMarks).toEqual({ a: { me: 2 } });
  });

  it('a chat update made before the latest message keeps that message and its unread count', async () => {
    const { store, feed } = await storeWith([chat('a', 0)]);
    feed.add(live(serverMessage({ chatId: 'a', clientMessageId: 'x1' }, 1), 'you'));
    feed.emit('ChatUpdated', { chatUpdated: { kind: 'RENAMED', chatId: 'a', chat: { ...chat('a', 0), name: 'A!' } } });
    expect(store.getSnapshot().chats[0]).toMatchObject({ name: 'A!', unreadCount: 1, lastMessage: { seq: 1 } });
  });

  it('typing, renames and removals', async () => {
    const { store, feed } = await storeWith([chat('a', 0), chat('b', 0)]);
    const expiresAt = new Date(Date.now() + 5_000).toISOString();
    feed.emit('Typing', { typing: { chatId: 'a', expiresAt, user: { id: 'you', displayName: 'You' } } });
    expect(store.getSnapshot().typing.a).toEqual([{ id: 'you', displayName: 'You', expiresAt }]);
    feed.emit('ChatUpdated', { chatUpdated: { kind: 'RENAMED', chatId: 'b', chat: { ...chat('b', 0), name: 'B!' } } });
    feed.emit('ChatUpdated', { chatUpdated: { kind: 'REMOVED', chatId: 'a', chat: null } });
    expect(store.getSnapshot().chats.map((entry) => entry.name)).toEqual(['B!']);
    store.stop();
  });

  it('replies follow their original live: an edit changes the excerpt, a deletion empties it', async () => {
    const { store, feed } = await storeWith([chat('a', 0)]);
    const original = serverMessage({ chatId: 'a', clientMessageId: 'o', text: 'first' }, 1);
    const quote = {
      id: 'a:1',
      excerpt: 'first',
      hasImage: false,
      hasFile: false,
      deleted: false,
      sender: original.sender,
    };
    feed.add(live(original, 'you'));
    feed.add(live({ ...serverMessage({ chatId: 'a', clientMessageId: 'r', text: 'reply' }, 2), replyTo: quote }));
    const replyOf = () => store.getSnapshot().messages.a!.find((message) => message.clientMessageId === 'r');
    feed.emit('MessageUpdated', {
      messageUpdated: { ...live(original), text: `line one\n${'x'.repeat(120)}`, editedAt: original.createdAt },
    });
    expect(replyOf()).toMatchObject({ replyTo: { id: 'a:1', excerpt: `line one ${'x'.repeat(91)}…`, deleted: false } });
    feed.emit('MessageUpdated', {
      messageUpdated: { ...live(original), text: null, deletedAt: original.createdAt },
    });
    expect(replyOf()).toMatchObject({ replyTo: { id: 'a:1', excerpt: null, deleted: true } });
  });

  it('an update of a message older than the history read leaves the timeline alone; a pin change moves the pins count', async () => {
    const { store, feed } = await storeWith([chat('a', 9)]);
    feed.add(live(serverMessage({ chatId: 'a', clientMessageId: 'm8' }, 8), 'you'));
    const older = serverMessage({ chatId: 'a', clientMessageId: 'old', text: 'edited' }, 3);
    feed.emit('MessageUpdated', { messageUpdated: live(older) });
    expect(store.getSnapshot().messages.a!.map((message) => message.clientMessageId)).toEqual(['m8']);
    // A newer one is kept even before its messageAdded (the two subscriptions race).
    const last = serverMessage({ chatId: 'a', clientMessageId: 'old-9', text: 'edited last' }, 9);
    feed.emit('MessageUpdated', { messageUpdated: live(last) });
    expect(store.getSnapshot().chats[0]!.lastMessage?.text).toBe('edited last');
    expect(store.getSnapshot().messages.a!.map((message) => message.clientMessageId)).toEqual(['m8', 'old-9']);
    expect(store.getSnapshot().pins).toEqual({});
    feed.emit('ChatUpdated', { chatUpdated: { kind: 'PINS_CHANGED', chatId: 'a', chat: chat('a', 9) } });
    feed.emit('ChatUpdated', { chatUpdated: { kind: 'PINS_CHANGED', chatId: 'a', chat: chat('a', 9) } });
    expect(store.getSnapshot().pins).toEqual({ a: 2 });
  });

  it('reactions: the answer of adding or removing one updates the message', async () => {
    const message = serverMessage({ chatId: 'a', clientMessageId: 'm', text: 'hi' }, 1);
    const asked: unknown[] = [];
    const store = createChatStore({
      request: async (_document: unknown, variables?: unknown) => {
        asked.push(variables);
        const reactions = asked.length === 1 ? [{ emoji: '👍', count: 1, viewerReacted: true }] : [];
        return { addReaction: { ...message, reactions }, removeReaction: { ...message, reactions } } as never;
      },
      viewerId: () => 'me',
    });
    await store.addReaction('a', 'a:1', '👍');
    expect(store.getSnapshot().messages.a).toEqual([
      expect.objectContaining({ id: 'a:1', reactions: [{ emoji: '👍', count: 1, viewerReacted: true }] }),
    ]);
    await store.removeReaction('a', 'a:1', '👍');
    expect(store.getSnapshot().messages.a).toEqual([expect.objectContaining({ id: 'a:1', reactions: [] })]);
    expect(asked).toEqual([
      { messageId: 'a:1', emoji: '👍' },
      { messageId: 'a:1', emoji: '👍' },
    ]);
  });
});

describe('history', () => {
  it('reads the newest page first, then older ones, until there are no more', async () => {
    const all = Array.from({ length: 120 }, (_, index) =>
      serverMessage({ chatId: 'c', clientMessageId: `m${index}` }, index + 1),
    );
    const asked: unknown[] = [];
    const store = createChatStore({
      // The server's history runs newest first: first/after goes back in time.
      request: (async (_document: unknown, variables: { first?: number; after?: string }) => {
        asked.push(variables);
        const below = variables.after === undefined ? Infinity : Number(variables.after);
        const older = all.filter((message) => message.seq < below).reverse();
        const page = older.slice(0, variables.first);
        return {
          messages: {
            edges: page.map((node) => ({ cursor: String(node.seq), node: { ...node, readBy: [] } })),
            pageInfo: { hasNextPage: older.length > page.length, hasPreviousPage: below !== Infinity },
          },
        } as never;
      }) as never,
      viewerId: () => 'me',
    });
    const seqs = () => (store.getSnapshot().messages.c ?? []).map((message) => ('seq' in message ? message.seq : 0));
    expect(await store.loadHistory('c')).toBe(true);
    expect(seqs()).toEqual(Array.from({ length: 50 }, (_, index) => 71 + index));
    expect(await store.loadHistory('c')).toBe(true);
    expect(await store.loadHistory('c')).toBe(false);
    expect(seqs()).toEqual(Array.from({ length: 120 }, (_, index) => index + 1));
    expect(asked).toEqual([
      { chatId: 'c', first: 50 },
      { chatId: 'c', first: 50, after: '71' },
      { chatId: 'c', first: 50, after: '21' },
    ]);
  });

  it('keeps the presence of the other person of each direct chat, and of anyone presenceChanged tells of', async () => {
    const presence = (id: string, status: string, lastSeenAt: string | null = null) => ({
      status,
      lastSeenAt,
      hidden: null,
      user: { id },
    });
    const withBob = {
      ...chat('a', 0),
      counterpart: { id: 'bob', displayName: 'Bob', presence: presence('bob', 'ONLINE') },
    };
    const { store, feed } = await storeWith([withBob as ChatSummaryFragment, chat('b', 0)]);
    expect(store.getSnapshot().presence).toEqual({ bob: presence('bob', 'ONLINE') });
    feed.emit('PresenceChanged', { presenceChanged: presence('bob', 'OFFLINE', '2025-01-01T00:00:00.000Z') });
    feed.emit('PresenceChanged', { presenceChanged: presence('carol', 'AWAY') });
    expect(store.getSnapshot().presence).toEqual({
      bob: presence('bob', 'OFFLINE', '2025-01-01T00:00:00.000Z'),
      carol: presence('carol', 'AWAY'),
    });
    // A chat update brings the other person's presence as it is then.
    feed.emit('ChatUpdated', { chatUpdated: { kind: 'RENAMED', chatId: 'a', chat: withBob } });
    expect(store.getSnapshot().presence.bob?.status).toBe('ONLINE');
  });
});

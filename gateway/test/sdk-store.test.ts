import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { createChatStore, createLive, createSession, StartDirectChatDocument } from '@letstalk/sdk';
import { waitForCode } from '@letstalk/testing';
import { say, signUp, uniqueEmail, uniqueIp, uniqueName, WAIT_MS } from './helpers.ts';

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the SDK chat store against the stack', () => {
  it('shows a sent message at once, then once from the server; counts what others send as unread until read', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const email = uniqueEmail('store');
    const session = createSession({ url: inject('gatewayUrl'), headers: { 'x-forwarded-for': uniqueIp() } });
    await session.requestEmailCode(email);
    const { user } = await session.signInWithEmailCode(email, await waitForCode(inject('inboxUrl'), email));
    const live = createLive({ url: inject('gatewayUrl'), auth: session, webSocketImpl: WebSocket });
    const store = createChatStore({
      request: session.request,
      live,
      viewerId: () => (session.getSnapshot().status === 'signedIn' ? user.id : undefined),
    });
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: user.id });
    await store.loadChats();
    store.start();

    const pending = store.send(chat.id, 'hello from the store');
    expect(store.getSnapshot().messages[chat.id]).toEqual([expect.objectContaining({ status: 'pending' })]);
    for (const text of ['one', 'two', 'three']) await say(alice, chat.id, text);
    const messages = () => store.getSnapshot().messages[chat.id] ?? [];
    await until(
      () => messages().length === 4 && messages().every((message) => message.status === 'sent'),
      '4 messages',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages().filter((message) => message.clientMessageId === pending.clientMessageId)).toHaveLength(1);
    const seqs = messages().map((message) => ('seq' in message ? message.seq : 0));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const entry = () => store.getSnapshot().chats.find((candidate) => candidate.id === chat.id)!;
    expect(entry().unreadCount).toBe(3);
    await store.markRead(chat.id);
    expect(entry().unreadCount).toBe(0);

    store.stop();
    await Promise.all([live.dispose(), alice.client.dispose()]);
  });
});

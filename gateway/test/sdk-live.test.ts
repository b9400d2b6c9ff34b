import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { issueAccessToken, loadSigningKey, ACCESS_TOKEN_TTL_SECONDS } from '@letstalk/auth';
import {
  createLive,
  createSession,
  memoryStorage,
  StartDirectChatDocument,
  type ConnectionState,
  type LiveMessage,
  type TokenStorage,
} from '@letstalk/sdk';
import { waitForCode } from '@letstalk/testing';
import { say, signUp, uniqueEmail, uniqueIp, uniqueName, WAIT_MS, type Person } from './helpers.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** A WebSocket that the test can reach, to cut it as a network would (no close frame: 1006 at the client). */
function trackedWebSocket() {
  const sockets: WebSocket[] = [];
  class Tracked extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  return { Tracked, sockets };
}

/**
 * Someone signed in through the SDK's session (email code), then following the gateway with the SDK's live
 * connection from a session that reads the stored tokens, as a reloaded page would (`prepare` may change
 * them first).
 */
async function sdkPerson(
  options: { refreshMarginMs?: number; prepare?: (storage: TokenStorage, userId: string) => Promise<void> } = {},
) {
  const email = uniqueEmail('sdk');
  const storage = memoryStorage();
  const open = () =>
    createSession({
      url: inject('gatewayUrl'),
      storage,
      headers: { 'x-forwarded-for': uniqueIp() },
      ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
    });
  const signIn = open();
  await signIn.requestEmailCode(email);
  const auth = await signIn.signInWithEmailCode(email, await waitForCode(inject('inboxUrl'), email));
  await options.prepare?.(storage, auth.user.id);
  const session = open();
  await session.ready();
  const socket = trackedWebSocket();
  const live = createLive({ url: inject('gatewayUrl'), auth: session, webSocketImpl: socket.Tracked });
  const states: ConnectionState[] = [];
  live.subscribe(() => states.push(live.getSnapshot()));
  /** Cuts the socket once it is live (a cut while reconnecting would cut nothing new). */
  const cut = async () => {
    await until(() => live.getSnapshot() === 'live', 'live');
    socket.sockets.at(-1)!.terminate();
  };
  return { session, storage, live, socket, states, cut, userId: auth.user.id };
}

/**
 * Replaces the stored access token with a copy (same user, same session) signed with the stack's own
 * development key that expires in `seconds`: the access token lives 15 minutes (ACCESS_TOKEN_TTL_SECONDS,
 * not configurable), and the test needs the gateway's real expiry timer to close the socket (4401) soon.
 */
const expiringIn = (seconds: number) => async (storage: TokenStorage, userId: string) => {
  const stored = (await storage.load())!;
  const { sid } = JSON.parse(Buffer.from(stored.accessToken.split('.')[1]!, 'base64url').toString()) as {
    sid: string;
  };
  const env = inject('stackEnv');
  const short = await issueAccessToken(
    await loadSigningKey({ dataDir: inject('dataDir') }),
    { issuer: env.AUTH_ISSUER ?? 'letstalk', audience: env.AUTH_AUDIENCE ?? 'letstalk' },
    { userId, sessionId: sid },
    new Date(Date.now() - (ACCESS_TOKEN_TTL_SECONDS - seconds) * 1000),
  );
  await storage.save({ ...stored, accessToken: short.token, accessTokenExpiresAt: short.expiresAt.toISOString() });
};

async function chatWith(sender: Person, userId: string) {
  const { startDirectChat } = await sender.client.request(StartDirectChatDocument, { userId });
  return startDirectChat.id;
}

describe('the SDK keeps a chat in sync by itself', () => {
  it('sees every message exactly once, in order, while its socket is cut again and again', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const bob = await sdkPerson();
    const chatId = await chatWith(alice, bob.userId);
    const seen: LiveMessage[] = [];
    bob.live.messages({ chatId, after: 0 }, (message) => seen.push(message));

    for (let index = 1; index <= 30; index += 1) {
      await say(alice, chatId, `m${index}`);
      if (index % 6 === 0) await bob.cut();
      if (index % 10 === 5) await pause(300);
    }
    await until(() => seen.length >= 30, `30 messages (got ${seen.length})`);
    await pause(500);

    expect(seen.map((message) => message.text)).toEqual(Array.from({ length: 30 }, (_, index) => `m${index + 1}`));
    expect(seen.map((message) => message.seq)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    expect(bob.socket.sockets).toHaveLength(6);
    expect(bob.states).toContain('resuming');
    await until(() => bob.live.getSnapshot() === 'live', 'live again');
    await Promise.all([bob.live.dispose(), alice.client.dispose()]);
  });

  it('all chats: resumes each chat from its last message (since) across cuts', async () => {
    const [alice, carol] = await Promise.all(
      ['Alice', 'Carol'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const bob = await sdkPerson();
    const chats = [await chatWith(alice!, bob.userId), await chatWith(carol!, bob.userId)];
    const seen: LiveMessage[] = [];
    bob.live.messages({ since: { [chats[0]!]: 0, [chats[1]!]: 0 } }, (message) => seen.push(message));

    for (let index = 1; index <= 12; index += 1) {
      await Promise.all([say(alice!, chats[0]!, `a${index}`), say(carol!, chats[1]!, `c${index}`)]);
      if (index % 4 === 0) await bob.cut();
    }
    await until(() => seen.length >= 24, `24 messages (got ${seen.length})`);
    await pause(500);

    for (const [chatId, prefix] of [
      [chats[0]!, 'a'],
      [chats[1]!, 'c'],
    ] as const) {
      expect(seen.filter((message) => message.chat.id === chatId).map((message) => message.text)).toEqual(
        Array.from({ length: 12 }, (_, index) => `${prefix}${index + 1}`),
      );
    }
    expect(seen).toHaveLength(24);
    expect(bob.socket.sockets).toHaveLength(4);
    await Promise.all([bob.live.dispose(), alice!.client.dispose(), carol!.client.dispose()]);
  });

  it('when the gateway closes the socket because the access token expired, renews it and resumes', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    // No renewal ahead of time: the socket must live until the gateway closes it at the token's expiry.
    // No renewal ahead of time: the socket must live until the gateway closes it at the token's expiry.
    const bob = await sdkPerson({ refreshMarginMs: 0, prepare: expiringIn(4) });
    const chatId = await chatWith(alice, bob.userId);
    const before = (await bob.storage.load())!;
    const seen: LiveMessage[] = [];
    bob.live.messages({ chatId, after: 0 }, (message) => seen.push(message));
    await say(alice, chatId, 'm1');
    await until(() => seen.length === 1 && bob.live.getSnapshot() === 'live', 'the first message');
    const first = bob.socket.sockets[0]!;
    const closed = new Promise<number>((resolve) => first.once('close', (code) => resolve(code)));
    for (let index = 2; index <= 10; index += 1) {
      await say(alice, chatId, `m${index}`);
      await pause(600);
    }
    expect(await closed).toBe(4401);
    await until(() => seen.length >= 10, `10 messages (got ${seen.length})`);
    await pause(300);

    expect(seen.map((message) => message.text)).toEqual(Array.from({ length: 10 }, (_, index) => `m${index + 1}`));
    const after = (await bob.storage.load())!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(bob.states).toEqual(['connecting', 'live', 'resuming', 'live']);
    expect(bob.session.getSnapshot()).toEqual({ status: 'signedIn', userId: bob.userId });
    await Promise.all([bob.live.dispose(), alice.client.dispose()]);
  });

  it('signing out closes the live connection and ends its streams', async () => {
    const bob = await sdkPerson();
    const ends: unknown[] = [];
    bob.live.messages(
      { since: {} },
      () => undefined,
      (why) => ends.push(why),
    );
    await until(() => bob.live.getSnapshot() === 'live', 'live');
    await bob.session.signOut();
    expect(ends).toEqual(['signedOut']);
    expect(bob.live.getSnapshot()).toBe('offline');
    expect(await bob.storage.load()).toBeUndefined();
    await until(() => bob.socket.sockets[0]!.readyState === WebSocket.CLOSED, 'the socket to close');
  });
});

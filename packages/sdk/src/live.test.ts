import { describe, expect, it } from 'vitest';
import { createLive, type ConnectionState, type LiveAuth, type LiveEnd } from './live.ts';

type Sent = { id?: string; type: string; payload?: { variables?: Record<string, unknown> } };

/**
 * A gateway in memory, behind a fake WebSocket that graphql-ws accepts: it keeps each chat's messages,
 * replays them after `after`/`since` on subscribe, then pushes new ones to every subscription.
 */
function fakeGateway() {
  const chats = new Map<string, number>();
  const sockets: FakeSocket[] = [];
  const inits: Record<string, unknown>[] = [];
  const subscribes: Record<string, unknown>[] = [];
  let refuseToken: string | undefined;

  const message = (chatId: string, seq: number) => ({
    messageAdded: { id: `${chatId}:${seq}`, seq, text: `${chatId}${seq}`, chat: { id: chatId } },
  });

  class FakeSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    readyState = 0;
    subs = new Map<string, Record<string, unknown>>();
    onopen?: () => void;
    onmessage?: (event: { data: string }) => void;
    onclose?: (event: { code: number; reason: string }) => void;
    onerror?: (event: unknown) => void;
    constructor() {
      sockets.push(this);
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.();
      }, 1);
    }
    send(data: string) {
      const sent = JSON.parse(data) as Sent;
      if (sent.type === 'connection_init') {
        inits.push(sent.payload ?? {});
        const token = (sent.payload as { authorization?: string } | undefined)?.authorization;
        if (refuseToken && token === `Bearer ${refuseToken}`) return this.close(4401, 'Access token expired');
        this.push({ type: 'connection_ack' });
      } else if (sent.type === 'subscribe') {
        const variables = sent.payload?.variables ?? {};
        subscribes.push(variables);
        this.subs.set(sent.id!, variables);
        for (const [chatId, last] of chats) {
          const from = this.resumeFrom(variables, chatId);
          for (let seq = from + 1; seq <= last && from >= 0; seq += 1) this.next(sent.id!, message(chatId, seq));
        }
      } else if (sent.type === 'complete') this.subs.delete(sent.id!);
    }
    resumeFrom(variables: Record<string, unknown>, chatId: string): number {
      if (variables.chatId !== undefined && variables.chatId !== chatId) return -1;
      if (typeof variables.after === 'string') return Number(variables.after);
      const since = (variables.since as string[] | undefined)?.find((id) => id.startsWith(`${chatId}:`));
      return since ? Number(since.split(':')[1]) : Number.POSITIVE_INFINITY;
    }
    next(id: string, payload: unknown) {
      this.push({ id, type: 'next', payload: { data: payload } });
    }
    push(message: unknown) {
      if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(message) });
    }
    close(code = 1000, reason = '') {
      if (this.readyState === 3) return;
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ code, reason }), 1);
    }
  }

  const current = () => sockets.at(-1)!;
  return {
    FakeSocket,
    inits,
    subscribes,
    /** A new message, delivered live to every open subscription of its chat (unless `lost`). */
    add(chatId: string, options: { lost?: boolean; twice?: boolean } = {}) {
      const seq = (chats.get(chatId) ?? 0) + 1;
      chats.set(chatId, seq);
      if (options.lost) return;
      for (const socket of sockets) {
        for (const [id, variables] of socket.subs) {
          if (variables.chatId !== undefined && variables.chatId !== chatId) continue;
          socket.next(id, message(chatId, seq));
          if (options.twice) socket.next(id, message(chatId, seq));
        }
      }
    },
    /** Sends an old message again on every subscription. */
    repeat: (chatId: string, seq: number) => {
      for (const [id] of current().subs) current().next(id, message(chatId, seq));
    },
    endWith: (extensions: Record<string, unknown>) => {
      for (const [id] of current().subs) current().push({ id, type: 'error', payload: [{ message: 'x', extensions }] });
    },
    drop: (code = 1006) => current().close(code, 'dropped'),
    refuse: (token: string) => (refuseToken = token),
    sockets: () => sockets.length,
  };
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

function follow(gateway: ReturnType<typeof fakeGateway>, auth?: LiveAuth) {
  const live = createLive({
    url: 'http://gateway.test/graphql',
    webSocketImpl: gateway.FakeSocket,
    backoff: { baseMs: 5, maxMs: 20 },
    ...(auth ? { auth } : {}),
  });
  const states: ConnectionState[] = [];
  live.subscribe(() => states.push(live.getSnapshot()));
  return { live, states };
}

describe('live messages resume by themselves', () => {
  it('after a drop, resubscribes from the last seq delivered: every message once, in order', async () => {
    const gateway = fakeGateway();
    const { live, states } = follow(gateway);
    const seen: string[] = [];
    const stream = live.messages({ chatId: 'c', after: 0 }, (message) => seen.push(message.text!));
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.add('c');
    gateway.add('c');
    await until(() => seen.length === 2, 'two messages');
    gateway.drop();
    gateway.add('c');
    gateway.add('c');
    await until(() => seen.length === 4, 'the missed messages');
    gateway.add('c');
    await until(() => seen.length === 5, 'a live one');
    expect(seen).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(gateway.subscribes.map((variables) => variables.after)).toEqual(['0', '2']);
    expect(states).toEqual(['connecting', 'live', 'resuming', 'live']);
    expect(stream.cursors()).toEqual({ c: 5 });
    await live.dispose();
    expect(live.getSnapshot()).toBe('offline');
  });

  it('drops duplicates, and fills a gap by resuming from the cursor', async () => {
    const gateway = fakeGateway();
    const { live } = follow(gateway);
    const seen: number[] = [];
    live.messages({ chatId: 'c', after: 0 }, (message) => seen.push(message.seq));
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.add('c', { twice: true });
    gateway.repeat('c', 1);
    gateway.add('c');
    await until(() => seen.length === 2, 'two messages');
    // Duplicates are dropped where they are: no resubscription for them.
    expect(gateway.subscribes).toHaveLength(1);
    gateway.add('c', { lost: true });
    gateway.add('c');
    await until(() => seen.length === 4, 'the gap filled');
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(gateway.subscribes.map((variables) => variables.after)).toEqual(['0', '2']);
    await live.dispose();
  });

  it('all chats: resumes with the since list of the last message of each chat', async () => {
    const gateway = fakeGateway();
    gateway.add('a');
    const { live } = follow(gateway);
    const seen: string[] = [];
    live.messages({ since: { a: 1 } }, (message) => seen.push(message.id));
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.add('b');
    gateway.add('a');
    await until(() => seen.length === 2, 'two live messages');
    gateway.drop(1001);
    gateway.add('b');
    await until(() => seen.length === 3, 'the missed one');
    expect(seen).toEqual(['b:1', 'a:2', 'b:2']);
    expect(gateway.subscribes.map((variables) => variables.since)).toEqual([['a:1'], ['b:1', 'a:2']]);
    await live.dispose();
  });

  it('a subscription ended UNAVAILABLE (REPLAY_LIMIT) resumes from its last cursor', async () => {
    const gateway = fakeGateway();
    const { live } = follow(gateway);
    const seen: number[] = [];
    live.messages({ chatId: 'c', after: 0 }, (message) => seen.push(message.seq));
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.add('c');
    await until(() => seen.length === 1, 'one');
    gateway.endWith({ code: 'UNAVAILABLE', reason: 'REPLAY_LIMIT' });
    gateway.add('c', { lost: true });
    await until(() => seen.length === 2, 'the rest');
    expect(gateway.subscribes.map((variables) => variables.after)).toEqual(['0', '1']);
    expect(gateway.sockets()).toBe(1);
    await live.dispose();
  });

  it('ends a stream that is refused (FORBIDDEN) and tells why', async () => {
    const gateway = fakeGateway();
    const { live } = follow(gateway);
    const ends: LiveEnd[] = [];
    live.messages(
      { chatId: 'c' },
      () => undefined,
      (why) => ends.push(why),
    );
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.endWith({ code: 'FORBIDDEN' });
    await until(() => ends.length === 1, 'the end');
    expect(ends[0]).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });

  it('on the token-expired close (4401), renews through the session and resumes with the new token', async () => {
    const gateway = fakeGateway();
    let token = 't1';
    const renewed: string[] = [];
    const { live, states } = follow(gateway, {
      accessToken: async () => token,
      renew: async (rejected) => {
        renewed.push(rejected);
        token = 't2';
        return { accessToken: token };
      },
    });
    const seen: number[] = [];
    live.messages({ chatId: 'c', after: 0 }, (message) => seen.push(message.seq));
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.add('c');
    await until(() => seen.length === 1, 'one');
    gateway.refuse('t1');
    gateway.drop(4401);
    gateway.add('c');
    await until(() => seen.length === 2, 'the one sent meanwhile');
    expect(renewed).toEqual(['t1']);
    expect(gateway.inits).toEqual([{ authorization: 'Bearer t1' }, { authorization: 'Bearer t2' }]);
    expect(states).toEqual(['connecting', 'live', 'resuming', 'live']);
    await live.dispose();
  });

  it('when renewing says the session is over, the streams end (signedOut) and the state is offline', async () => {
    const gateway = fakeGateway();
    const { live } = follow(gateway, { accessToken: async () => 't1', renew: async () => undefined });
    const ends: LiveEnd[] = [];
    live.messages(
      { chatId: 'c' },
      () => undefined,
      (why) => ends.push(why),
    );
    await until(() => live.getSnapshot() === 'live', 'live');
    gateway.drop(4401);
    await until(() => ends.length === 1, 'the end');
    expect(ends).toEqual(['signedOut']);
    expect(live.getSnapshot()).toBe('offline');
  });
});

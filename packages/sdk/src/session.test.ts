import { describe, expect, it } from 'vitest';
import { SignOutDocument as SignOutLike } from './generated/graphql.ts';
import { createSession } from './session.ts';
import { localStorageAdapter, memoryStorage, type LockManagerLike, type StorageLike } from './token-storage.ts';

const URL = 'http://gateway.test/graphql';
const MINUTE = 60_000;

/**
 * A fake gateway for the session's operations: refresh tokens are single-use (presenting one twice
 * revokes the session, as any reuse after the grace period does), `Me`-like requests need a live token.
 */
function fakeGateway(clock: { now: number }) {
  let serial = 0;
  const used = new Set<string>();
  const valid = new Set<string>();
  const calls: string[] = [];
  const payload = () => {
    serial += 1;
    valid.add(`a${serial}`);
    return {
      accessToken: `a${serial}`,
      accessTokenExpiresAt: new Date(clock.now + 15 * MINUTE).toISOString(),
      refreshToken: `r${serial}`,
      refreshTokenExpiresAt: new Date(clock.now + 90 * 24 * 60 * MINUTE).toISOString(),
      isNewUser: false,
      user: { id: 'u1', displayName: 'U' },
    };
  };
  const answer = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const unauthenticated = () => answer({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }, 401);
  const fetch = async (_url: unknown, init?: RequestInit) => {
    const { query, variables } = JSON.parse(init?.body as string) as {
      query: string;
      variables: Record<string, string>;
    };
    const name = /^(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '?';
    calls.push(name);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (name === 'SignInWithEmailCode') return answer({ data: { signInWithEmailCode: payload() } });
    if (name === 'RefreshSession') {
      const token = variables.refreshToken!;
      if (used.has(token) || !/^r\d+$/.test(token)) return unauthenticated();
      used.add(token);
      return answer({ data: { refreshSession: payload() } });
    }
    const authorization = new Headers(init?.headers).get('authorization') ?? '';
    if (!valid.has(authorization.replace('Bearer ', ''))) return unauthenticated();
    return answer({ data: { signOut: true, me: { id: 'u1' } } });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    calls,
    refreshes: () => calls.filter((call) => call === 'RefreshSession').length,
    revoke: (accessToken: string) => valid.delete(accessToken),
  };
}

/** A Web Locks stand-in: one holder at a time per name, shared by the "tabs" of a test. */
function fakeLocks(): LockManagerLike & { requests: number } {
  const queues = new Map<string, Promise<unknown>>();
  return {
    requests: 0,
    request<T>(name: string, callback: () => Promise<T>) {
      this.requests += 1;
      const run = (queues.get(name) ?? Promise.resolve()).then(callback, callback);
      queues.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

function browserStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

async function signedIn(options: { locks?: LockManagerLike | null } = {}) {
  const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
  const gateway = fakeGateway(clock);
  const storage = localStorageAdapter(browserStorage());
  const open = () =>
    createSession({ url: URL, fetch: gateway.fetch, storage, now: () => clock.now, locks: options.locks ?? null });
  const tab = open();
  await tab.signInWithEmailCode('a@example.test', '123456');
  return { clock, gateway, storage, tab, open };
}

describe('session', () => {
  it('signs in, keeps the tokens in storage and says so', async () => {
    const { tab, storage } = await signedIn();
    expect(tab.getSnapshot()).toEqual({ status: 'signedIn', userId: 'u1' });
    expect(await storage.load()).toMatchObject({ accessToken: 'a1', refreshToken: 'r1' });
    expect(await tab.accessToken()).toBe('a1');
  });

  it('renews shortly before expiry, and two concurrent callers share one refresh', async () => {
    const { tab, clock, gateway } = await signedIn();
    clock.now += 14.5 * MINUTE;
    const tokens = await Promise.all([tab.accessToken(), tab.accessToken(), tab.request(SignOutLike)]);
    expect(tokens.slice(0, 2)).toEqual(['a2', 'a2']);
    expect(gateway.refreshes()).toBe(1);
  });

  it('a second tab sharing the storage uses the tokens the first one rotated to (Web Locks)', async () => {
    const locks = fakeLocks();
    const { tab, clock, gateway, open } = await signedIn({ locks });
    const other = open();
    expect(await other.accessToken()).toBe('a1');
    clock.now += 15 * MINUTE;
    expect(await Promise.all([tab.accessToken(), other.accessToken()])).toEqual(['a2', 'a2']);
    expect(gateway.refreshes()).toBe(1);
    expect(locks.requests).toBe(2);
    // Still one session: the next renewal rotates r2, which no one presented yet.
    clock.now += 15 * MINUTE;
    expect(await other.accessToken()).toBe('a3');
    expect(await tab.accessToken()).toBe('a3');
    expect(gateway.refreshes()).toBe(2);
  });

  it('without Web Locks, sessions of one process sharing a storage take turns too', async () => {
    const { tab, clock, gateway, open } = await signedIn({ locks: null });
    const other = open();
    await other.ready();
    clock.now += 15 * MINUTE;
    expect(await Promise.all([other.accessToken(), tab.accessToken()])).toEqual(['a2', 'a2']);
    expect(gateway.refreshes()).toBe(1);
  });

  it('renews once when a request is refused as UNAUTHENTICATED, and repeats it', async () => {
    const { tab, gateway } = await signedIn();
    gateway.revoke('a1');
    await expect(tab.request(SignOutLike)).resolves.toMatchObject({ signOut: true });
    expect(gateway.refreshes()).toBe(1);
    expect(await tab.accessToken()).toBe('a2');
  });

  it('a refused refresh signs out: storage is cleared and listeners hear it', async () => {
    const { tab, clock, storage } = await signedIn();
    await storage.save({ ...(await storage.load())!, refreshToken: 'stolen' });
    const heard: string[] = [];
    tab.subscribe(() => heard.push(tab.getSnapshot().status));
    clock.now += 15 * MINUTE;
    expect(await tab.accessToken()).toBeUndefined();
    expect(heard).toEqual(['signedOut']);
    expect(await storage.load()).toBeUndefined();
  });

  it('signOut tells the server, clears storage and the state', async () => {
    const { tab, storage, gateway } = await signedIn();
    await tab.signOut();
    expect(gateway.calls.at(-1)).toBe('SignOut');
    expect(tab.getSnapshot()).toEqual({ status: 'signedOut' });
    expect(await storage.load()).toBeUndefined();
  });

  it('memory storage is the default', async () => {
    const storage = memoryStorage();
    expect(await storage.load()).toBeUndefined();
  });
});

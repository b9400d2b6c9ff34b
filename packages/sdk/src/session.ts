import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, LetsTalkError, type ClientOptions } from './client.ts';
import {
  RefreshSessionDocument,
  RequestEmailCodeDocument,
  SignInWithEmailCodeDocument,
  SignInWithFacebookDocument,
  SignInWithOidcDocument,
  SignOutDocument,
  type SessionFragment,
} from './generated/graphql.ts';
import {
  memoryStorage,
  platformLocks,
  withLock,
  type LockManagerLike,
  type StoredTokens,
  type TokenStorage,
} from './token-storage.ts';

/** Refresh this long before the access token expires (it lives 15 minutes). */
const REFRESH_MARGIN_MS = 60_000;

/** @public */
export type SessionState = { readonly status: 'signedIn'; readonly userId: string } | { readonly status: 'signedOut' };

/** @public */
export interface SessionOptions extends Pick<ClientOptions, 'url' | 'headers' | 'fetch'> {
  /** Where the tokens live: {@link memoryStorage} (the default) or {@link localStorageAdapter}. */
  storage?: TokenStorage;
  /** The Web Locks API; `navigator.locks` when present. `null`: only this process's single-flight. */
  locks?: LockManagerLike | null;
  /** The clock (milliseconds since the epoch); tests inject theirs. */
  now?: () => number;
  /** How long before its expiry the access token is renewed (default 60 s). */
  refreshMarginMs?: number;
}

type Variables<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

const isUnauthenticated = (error: unknown) =>
  error instanceof LetsTalkError && (error.code === 'UNAUTHENTICATED' || error.status === 401);

const storedFrom = (auth: SessionFragment): StoredTokens => ({
  accessToken: auth.accessToken,
  accessTokenExpiresAt: auth.accessTokenExpiresAt,
  refreshToken: auth.refreshToken,
  refreshTokenExpiresAt: auth.refreshTokenExpiresAt,
  userId: auth.user.id,
});

/**
 * A signed-in person's tokens: the sign-in methods, requests that carry (and renew) the access token, and
 * `signOut`. The refresh token is single-use, so renewing is single-flight: concurrent callers share one
 * refresh, and sessions sharing a storage (tabs) take turns under a lock and re-read the storage inside it,
 * using the tokens another one rotated to instead of presenting the same refresh token again.
 * @public
 */
export function createSession(options: SessionOptions) {
  const storage = options.storage ?? memoryStorage();
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
  const locks = options.locks === null ? undefined : (options.locks ?? platformLocks());
  const lockName = storage.lockName ?? 'letstalk.session.refresh';
  const base = { url: options.url, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const clientWith = (accessToken?: string) =>
    createClient({
      ...base,
      headers: { ...options.headers, ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    });
  const anonymous = clientWith();

  let tokens: StoredTokens | undefined;
  let state: SessionState = { status: 'signedOut' };
  const listeners = new Set<() => void>();
  let refreshing: Promise<StoredTokens | undefined> | undefined;

  function set(next: StoredTokens | undefined) {
    tokens = next;
    const changed = next ? state.status !== 'signedIn' || state.userId !== next.userId : state.status !== 'signedOut';
    if (!changed) return;
    state = next ? { status: 'signedIn', userId: next.userId } : { status: 'signedOut' };
    for (const listener of [...listeners]) listener();
  }

  const loaded = (async () => {
    const stored = await storage.load();
    if (stored && tokens === undefined) set(stored);
  })();

  const fresh = (stored: StoredTokens) => Date.parse(stored.accessTokenExpiresAt) - margin > now();

  async function adopt(auth: SessionFragment): Promise<SessionFragment> {
    const next = storedFrom(auth);
    await storage.save(next);
    set(next);
    return auth;
  }

  /**
   * Renews the access token (single-flight). `rejected`: the access token the server just refused; tokens
   * another tab rotated to meanwhile are used instead of refreshing. Resolves `undefined` when the session
   * is over (signed out here or elsewhere, or refreshing was refused: then storage is cleared).
   */
  function renew(rejected?: string): Promise<StoredTokens | undefined> {
    refreshing ??= withLock(locks, storage, lockName, async () => {
      const stored = await storage.load();
      if (!stored) {
        set(undefined);
        return undefined;
      }
      if (stored.accessToken !== (rejected ?? tokens?.accessToken) && fresh(stored)) {
        set(stored);
        return stored;
      }
      try {
        const { refreshSession } = await anonymous.request(RefreshSessionDocument, {
          refreshToken: stored.refreshToken,
        });
        await adopt(refreshSession);
        return tokens;
      } catch (error) {
        if (!isUnauthenticated(error)) throw error;
        await storage.save(undefined);
        set(undefined);
        return undefined;
      }
    }).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  /** The access token to send now, renewed first when it expires within the margin. */
  async function accessToken(): Promise<string | undefined> {
    await loaded;
    const current = tokens;
    if (!current) return undefined;
    if (fresh(current)) return current.accessToken;
    try {
      return (await renew())?.accessToken;
    } catch (error) {
      // A network failure while the token still has a few seconds: use it.
      if (Date.parse(current.accessTokenExpiresAt) > now()) return current.accessToken;
      throw error;
    }
  }

  /** Runs `call` with the access token; on `UNAUTHENTICATED` renews once and runs it again. */
  async function authorized<Result>(call: (client: ReturnType<typeof clientWith>) => Promise<Result>) {
    const used = await accessToken();
    try {
      return await call(clientWith(used));
    } catch (error) {
      if (!used || !isUnauthenticated(error)) throw error;
      const next = await renew(used);
      if (!next) throw error;
      return call(clientWith(next.accessToken));
    }
  }

  /** A query or mutation with the session's access token (renewed once on `UNAUTHENTICATED`). */
  function request<Result, Vars extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Vars>,
    ...variables: Variables<Vars>
  ): Promise<Result> {
    return authorized((client) => client.request(document, ...variables));
  }

  /** A multipart upload with the session's access token (see `LetsTalkClient.upload`). */
  function upload<Result, Vars extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Vars>,
    variables: Vars,
  ): Promise<Result> {
    return authorized((client) => client.upload(document, variables));
  }

  return {
    /** Resolves once the stored tokens were read. */
    ready: () => loaded.then(() => state),
    /** useSyncExternalStore-style: `subscribe(listener)` returns the unsubscribe function. */
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): SessionState => state,
    accessToken,
    renew,
    /** Rotates the refresh token now (single-flight); `undefined` when the session is over. */
    refreshSession: () => renew().then((next) => next && { ...next }),

    requestEmailCode: (email: string) => anonymous.request(RequestEmailCodeDocument, { email }),
    signInWithEmailCode: async (email: string, code: string) =>
      adopt((await anonymous.request(SignInWithEmailCodeDocument, { email, code })).signInWithEmailCode),
    signInWithOidc: async (provider: string, idToken: string) =>
      adopt((await anonymous.request(SignInWithOidcDocument, { provider, idToken })).signInWithOidc),
    signInWithFacebook: async (accessToken: string) =>
      adopt((await anonymous.request(SignInWithFacebookDocument, { accessToken })).signInWithFacebook),

    request,
    upload,

    /** Ends the session on the server (best effort), forgets the tokens; live connections watching it close. */
    async signOut(): Promise<void> {
      try {
        if (await accessToken()) await authorized((client) => client.request(SignOutDocument));
      } catch {
        // Offline or already ended: the tokens are forgotten all the same.
      } finally {
        await storage.save(undefined);
        set(undefined);
      }
    },
  };
}

/** @public */
export type Session = ReturnType<typeof createSession>;

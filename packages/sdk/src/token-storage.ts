/**
 * What a session keeps between page loads (and shares between tabs, with the `localStorage` adapter).
 * @public
 */
export interface StoredTokens {
  accessToken: string;
  /** ISO date-time, as `AuthPayload.accessTokenExpiresAt`. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  userId: string;
}

/**
 * Where a session keeps its tokens; `load` may be asynchronous (IndexedDB, a native keychain, ...).
 * @public
 */
export interface TokenStorage {
  load(): StoredTokens | undefined | Promise<StoredTokens | undefined>;
  /** Saves the tokens, or forgets them (`undefined`, on sign-out). */
  save(tokens: StoredTokens | undefined): void | Promise<void>;
  /** A name for the Web Lock that guards refreshing; sessions sharing the storage must share it. */
  readonly lockName?: string;
}

/**
 * Tokens in memory only (the default): they last as long as the page or process.
 * @public
 */
export function memoryStorage(): TokenStorage {
  let tokens: StoredTokens | undefined;
  return {
    load: () => tokens,
    save: (next) => {
      tokens = next;
    },
  };
}

/**
 * The part of the DOM `Storage` interface the adapter uses (`window.localStorage` has it).
 * @public
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Tokens in a DOM `Storage` (pass `window.localStorage`), under `key`: every tab of the origin shares them,
 * and the refresh lock is named after the key so tabs take turns rotating the refresh token.
 * @public
 */
export function localStorageAdapter(storage: StorageLike, key = 'letstalk.session'): TokenStorage {
  return {
    lockName: `${key}.refresh`,
    load: () => {
      const text = storage.getItem(key);
      if (!text) return undefined;
      try {
        const tokens = JSON.parse(text) as Partial<StoredTokens>;
        return typeof tokens.accessToken === 'string' && typeof tokens.refreshToken === 'string'
          ? (tokens as StoredTokens)
          : undefined;
      } catch {
        return undefined;
      }
    },
    save: (tokens) => {
      if (tokens) storage.setItem(key, JSON.stringify(tokens));
      else storage.removeItem(key);
    },
  };
}

/**
 * The part of the Web Locks API (`navigator.locks`) a session uses.
 * @public
 */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** `navigator.locks` where the platform has it (browsers; not Node 20). */
export function platformLocks(): LockManagerLike | undefined {
  const navigator = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return typeof navigator?.locks?.request === 'function' ? navigator.locks : undefined;
}

const inProcess = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `task` under an exclusive lock for `storage`: the Web Lock `name` when `locks` is given, otherwise a
 * queue per storage object in this process (sessions of one process sharing a storage take turns).
 */
export function withLock<T>(
  locks: LockManagerLike | undefined,
  storage: TokenStorage,
  name: string,
  task: () => Promise<T>,
): Promise<T> {
  if (locks) return locks.request(name, task);
  const before = inProcess.get(storage) ?? Promise.resolve();
  const run = before.then(task, task);
  inProcess.set(
    storage,
    run.catch(() => undefined),
  );
  return run;
}

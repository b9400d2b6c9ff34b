export * from './client.ts';
export * from './generated/graphql.ts';
export {
  /** @public */ createSession,
  /** @public */ type Session,
  /** @public */ type SessionOptions,
  /** @public */ type SessionState,
} from './session.ts';
export {
  /** @public */ localStorageAdapter,
  /** @public */ memoryStorage,
  /** @public */ type LockManagerLike,
  /** @public */ type StorageLike,
  /** @public */ type StoredTokens,
  /** @public */ type TokenStorage,
} from './token-storage.ts';
export {
  /** @public */ createLive,
  /** @public */ type ConnectionState,
  /** @public */ type Live,
  /** @public */ type LiveAuth,
  /** @public */ type LiveEnd,
  /** @public */ type LiveMessage,
  /** @public */ type LiveOptions,
} from './live.ts';
export type { /** @public */ Backoff } from './resume.ts';
export {
  /** @public */ createSender,
  /** @public */ type OutgoingMessage,
  /** @public */ type Sender,
  /** @public */ type SenderOptions,
} from './send.ts';
export {
  /** @public */ createChatStore,
  /** @public */ type ChatMessage,
  /** @public */ type ChatStore,
  /** @public */ type ChatStoreOptions,
  /** @public */ type ChatStoreSnapshot,
} from './store.ts';

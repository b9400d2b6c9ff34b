import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { LRUCache } from 'lru-cache';
import { ACCESS_TOKEN_TTL_SECONDS } from '@letstalk/auth';
import { decodeSessionEnded, SESSION_ENDED_SUBJECT } from '@letstalk/events';
import type { Logger } from '@letstalk/log';

/**
 * Ended sessions each gateway process remembers, each until the last access token it could have issued
 * has expired: far more sign-outs than a quarter of an hour sees on one installation.
 */
const ENDED_SESSIONS_REMEMBERED = 100_000;

/**
 * The sessions that ended (signed out, or revoked for a reused refresh token), heard on NATS by every
 * gateway: their access tokens are refused (HTTP 401, graphql-ws 4401) from that moment, not when they
 * expire, and the live connections opened with them are closed at once.
 */
export class EndedSessions {
  private readonly ended = new LRUCache<string, true>({
    max: ENDED_SESSIONS_REMEMBERED,
    ttl: ACCESS_TOKEN_TTL_SECONDS * 1000,
  });
  /** What closes each open live connection, by its session. */
  private readonly open = new Map<string, Set<() => void>>();
  private readonly subscription: Subscription;

  constructor(nc: NatsConnection, log: Logger) {
    this.subscription = nc.subscribe(SESSION_ENDED_SUBJECT, {
      callback: (error, message) => {
        if (error) {
          log.warn({ err: error }, 'listening for ended sessions failed');
          return;
        }
        const session = decodeSessionEnded(message.data);
        if (session) this.end(session.sessionId);
      },
    });
  }

  has(sessionId: string): boolean {
    return this.ended.has(sessionId);
  }

  /** Calls `close` when the session ends; returns what stops watching (the connection closed first). */
  watch(sessionId: string, close: () => void): () => void {
    let closers = this.open.get(sessionId);
    if (!closers) {
      closers = new Set();
      this.open.set(sessionId, closers);
    }
    closers.add(close);
    return () => {
      const current = this.open.get(sessionId);
      current?.delete(close);
      if (current?.size === 0) this.open.delete(sessionId);
    };
  }

  /** Sessions with a live connection watched on this process. */
  get watchedCount(): number {
    return this.open.size;
  }

  private end(sessionId: string): void {
    this.ended.set(sessionId, true);
    const closers = this.open.get(sessionId);
    this.open.delete(sessionId);
    for (const close of closers ?? []) close();
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

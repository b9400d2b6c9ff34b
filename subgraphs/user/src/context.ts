import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { SigningKey } from '@letstalk/auth';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeEvent, userUpdated, type OutboxRelay } from '@letstalk/events';
import type { ReadRouting } from '@letstalk/db';
import type { BaseContext } from '@letstalk/server';
import { findUsersByIds, type UserRow } from './data/user-repository.ts';
import type { tables, UserDb } from './data/tables.ts';
import type { UserEnv } from './env.ts';
import type { VapidKeys } from './notifications/push-env.ts';
import type { RateLimits } from './rate-limits.ts';
import type { createFacebookVerifier } from './sign-in/facebook.ts';
import type { SendSignInCode } from './sign-in/mailer.ts';
import type { createOidcVerifier } from './sign-in/oidc.ts';

/**
 * Profiles that other subgraphs' references resolve to (every sender of every message page) are kept this
 * long per instance: a name change heard late (see forgetChangedProfiles) reaches readers within this time.
 */
const PROFILE_CACHE_TTL_MS = 5_000;
const PROFILE_CACHE_SIZE = 50_000;

export type ProfileCache = LRUCache<string, UserRow>;

export const createProfileCache = (): ProfileCache =>
  new LRUCache<string, UserRow>({ max: PROFILE_CACHE_SIZE, ttl: PROFILE_CACHE_TTL_MS });

/**
 * Drops a profile from this instance's cache as soon as any instance changes it: every instance hears each
 * `user.updated` (a core NATS subscription to the events' subject, not a consumer that shares them out), so readers
 * through another instance see a new name, or "Deleted user", once the event is published rather than after the
 * TTL, which stays the bound for an event heard late or not at all (across a NATS reconnection). Returns the stop.
 */
export function forgetChangedProfiles(nc: NatsConnection, profiles: ProfileCache): () => void {
  const subscription = nc.subscribe(userUpdated.subject, {
    callback: (error, message) => {
      if (error) return;
      try {
        profiles.delete(decodeEvent(userUpdated, message.data).userId);
      } catch {
        // Not an event this release reads: the TTL bounds it.
      }
    },
  });
  return () => subscription.unsubscribe();
}

/** Long-lived parts built once at start-up and shared by every request. */
export interface UserServices {
  env: UserEnv;
  db: UserDb;
  /** Reads that tolerate a few seconds' lag (directory search) go to the replica when there is one. */
  reads: ReadRouting<typeof tables>;
  signingKey: SigningKey;
  limits: RateLimits;
  relay: OutboxRelay;
  /** For live events that are not stored: a session's end, which closes its sockets. */
  nc: NatsConnection;
  verifyIdToken: ReturnType<typeof createOidcVerifier>;
  verifyFacebookToken: ReturnType<typeof createFacebookVerifier> | undefined;
  sendSignInCode: SendSignInCode | undefined;
  profiles: ProfileCache;
  /** The keys push notifications are signed with; undefined when push is off (production without keys). */
  vapid: VapidKeys | undefined;
}

export interface UserContext extends BaseContext {
  db: UserDb;
  services: UserServices;
  loaders: {
    /** Fresh from the database: the viewer's own profile, after a change. */
    user: DataLoader<string, UserRow | null>;
    /** Through the profile cache: entity references from other subgraphs. */
    profile: DataLoader<string, UserRow | null>;
  };
  /** Set by a sign-in in this request: that user may see their own private fields in the payload. */
  signedInUserId?: string;
}

async function loadUsers(services: UserServices, ids: readonly string[]): Promise<(UserRow | null)[]> {
  const rows = await findUsersByIds(services.db, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) services.profiles.set(row.id, row);
  return ids.map((id) => byId.get(id) ?? null);
}

export function createUserContext(base: BaseContext, services: UserServices): UserContext {
  return {
    ...base,
    db: services.db,
    services,
    loaders: {
      user: new DataLoader((ids) => loadUsers(services, ids)),
      profile: new DataLoader(async (ids) => {
        const cached = ids.map((id) => services.profiles.get(id));
        const missing = ids.filter((_, index) => !cached[index]);
        const loaded = new Map((await loadUsers(services, missing)).flatMap((row) => (row ? [[row.id, row]] : [])));
        return ids.map((id, index) => cached[index] ?? loaded.get(id) ?? null);
      }),
    },
  };
}

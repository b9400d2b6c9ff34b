import DataLoader from 'dataloader';
import type { SigningKey } from '@letstalk/auth';
import type { Database } from '@letstalk/db';
import type { OutboxRelay } from '@letstalk/events';
import type { BaseContext } from '@letstalk/server';
import { findUsersByIds, type UserRow } from './data/user-repository.ts';
import type { tables } from './data/tables.ts';
import type { UserEnv } from './env.ts';
import type { RateLimits } from './rate-limits.ts';
import type { createFacebookVerifier } from './sign-in/facebook.ts';
import type { SendSignInCode } from './sign-in/mailer.ts';
import type { createOidcVerifier } from './sign-in/oidc.ts';

export type UserDb = Database<typeof tables>;

/** Long-lived parts built once at start-up and shared by every request. */
export interface UserServices {
  env: UserEnv;
  db: UserDb;
  signingKey: SigningKey;
  limits: RateLimits;
  relay: OutboxRelay;
  verifyIdToken: ReturnType<typeof createOidcVerifier>;
  verifyFacebookToken: ReturnType<typeof createFacebookVerifier> | undefined;
  sendSignInCode: SendSignInCode | undefined;
}

export interface UserContext extends BaseContext {
  db: UserDb;
  services: UserServices;
  loaders: { user: DataLoader<string, UserRow | null> };
  /** Set by a sign-in in this request: that user may see their own private fields in the payload. */
  signedInUserId?: string;
}

export function createUserContext(base: BaseContext, services: UserServices): UserContext {
  return {
    ...base,
    db: services.db,
    services,
    loaders: {
      user: new DataLoader(async (ids) => {
        const rows = await findUsersByIds(services.db, ids);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
    },
  };
}

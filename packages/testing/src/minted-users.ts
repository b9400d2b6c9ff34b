import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { issueAccessToken, loadSigningKey } from '@letstalk/auth';
import { announceUser } from './fake-token-issuer.ts';

/**
 * Signs access tokens for any account id with a stack's own key (its AUTH_PRIVATE_KEY), as the user subgraph
 * would: a fresh token (15 minutes) at every call, without a sign-in. For runners that outlive a token.
 */
export async function accessTokenMinter(privateKeyPem: string): Promise<(userId: string) => Promise<string>> {
  const key = await loadSigningKey({ pem: privateKeyPem });
  return async (userId) => {
    const { token } = await issueAccessToken(
      key,
      { issuer: 'letstalk', audience: 'letstalk' },
      { userId, sessionId: randomUUID() },
    );
    return token;
  };
}

/**
 * Made-up accounts with access tokens signed with the stack's key; `announce` publishes their `user.created`,
 * so chats accept them (they have no profile: only people who receive, never senders, should be minted).
 */
export async function mintedUsers(options: { privateKeyPem: string; nc: NatsConnection }) {
  const tokenFor = await accessTokenMinter(options.privateKeyPem);
  return async (count: number, announce: boolean) => {
    const users = await Promise.all(
      Array.from({ length: count }, async () => {
        const userId = randomUUID();
        if (announce) await announceUser(options.nc, userId);
        return { userId, token: await tokenFor(userId) };
      }),
    );
    return users;
  };
}

export type Minter = Awaited<ReturnType<typeof mintedUsers>>;

import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { issueAccessToken, loadSigningKey } from '@letstalk/auth';
import { announceUser } from '@letstalk/testing';

/** Access tokens for made-up accounts, signed with the stack's key, and announced so chats accept them. */
export async function mintedUsers(options: { privateKeyPem: string; nc: NatsConnection }) {
  const key = await loadSigningKey({ pem: options.privateKeyPem });
  return async (count: number, announce: boolean) => {
    const users = await Promise.all(
      Array.from({ length: count }, async () => {
        const userId = randomUUID();
        if (announce) await announceUser(options.nc, userId);
        const { token } = await issueAccessToken(
          key,
          { issuer: 'letstalk', audience: 'letstalk' },
          { userId, sessionId: randomUUID() },
        );
        return { userId, token };
      }),
    );
    return users;
  };
}

export type Minter = Awaited<ReturnType<typeof mintedUsers>>;

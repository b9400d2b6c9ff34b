import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { exportPKCS8, generateKeyPair } from 'jose';
import { issueAccessToken, loadSigningKey, publicJwks } from '@letstalk/auth';
import { mediaFileUploaded, mediaImageUploaded, userCreated } from '@letstalk/events';
import { publishEvent } from './events.ts';
import { listenOnLoopback, sendJson } from './http.ts';

/**
 * Stands in for the user subgraph when another subgraph is tested alone: serves a JWKS on 127.0.0.1,
 * signs access tokens like the user subgraph does, and announces accounts on JetStream (`user.created`)
 * exactly as its outbox relay would.
 */
export async function startFakeTokenIssuer(options: { issuer?: string; audience?: string } = {}) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const key = await loadSigningKey({ pem: await exportPKCS8(privateKey) });
  const server = await listenOnLoopback((_req, res) => sendJson(res, 200, publicJwks([key])));
  const tokenOptions = { issuer: options.issuer ?? 'letstalk', audience: options.audience ?? 'letstalk' };
  return {
    jwksUrl: `${server.url}/.well-known/jwks.json`,
    /** An access token for `userId`, valid for the usual 15 minutes. */
    tokenFor: async (userId: string) =>
      (await issueAccessToken(key, tokenOptions, { userId, sessionId: randomUUID() })).token,
    close: server.close,
  };
}

/** Publishes `user.created` for a new account id, as the user subgraph's relay does. */
export async function announceUser(nc: NatsConnection, userId: string = randomUUID()): Promise<string> {
  await publishEvent(nc, userCreated, { userId, createdAt: new Date().toISOString() }, `user-created-${userId}`);
  return userId;
}

/** Publishes `media.image.uploaded` for an image of `ownerId`, as the media subgraph's relay does. */
export async function announceImage(
  nc: NatsConnection,
  ownerId: string,
  purpose: 'MESSAGE' | 'AVATAR' | 'CHAT_PHOTO' = 'MESSAGE',
  imageId: string = randomUUID(),
): Promise<string> {
  await publishEvent(
    nc,
    mediaImageUploaded,
    { imageId, ownerId, purpose, originalKey: '0'.repeat(64) },
    `media-image-uploaded-${imageId}`,
  );
  return imageId;
}

/** Publishes `media.file.uploaded` for a file of `ownerId`, as the media subgraph's relay does. */
export async function announceFile(
  nc: NatsConnection,
  ownerId: string,
  fileId: string = randomUUID(),
): Promise<string> {
  await publishEvent(nc, mediaFileUploaded, { fileId, ownerId }, `media-file-uploaded-${fileId}`);
  return fileId;
}

// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ambient module must reach every workspace that compiles this file, and only a reference carries it
/// <reference path="./http_ece.d.ts" />
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// http_ece is what web-push encrypts with: it decrypts what a browser would (RFC 8291, aes128gcm).
import ece from 'http_ece';

/** A push as the fake push service received it: the path it was posted to, its headers and encrypted body. */
interface ReceivedPush {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A push service (RFC 8030) on 127.0.0.1, standing in for the browsers' (FCM, Mozilla's), which tests cannot reach:
 * it keeps every push it is sent and answers 201; a path under `/push/gone/` answers 410, as for a browser that
 * unsubscribed. The stack posts to it when PUSH_ALLOW_HOSTS lists 127.0.0.1 (plain http, a loopback address).
 */
export async function startFakePushService() {
  const received: ReceivedPush[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url?.startsWith('/push/gone/') ? 410 : 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** What was pushed to `subscription`'s endpoint, oldest first. */
    pushesTo: (subscription: { endpoint: string }) =>
      received.filter((push) => push.path === new URL(subscription.endpoint).pathname),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A browser's side of a push subscription at the fake push service (`url`): a fresh endpoint under `/push/<name>/`,
 * a P-256 key pair and an auth secret, as `PushSubscription.toJSON()` gives them (`input`, what
 * registerPushSubscription takes), and `read`, which decrypts a push to it as the browser would and parses its JSON.
 */
export function fakePushSubscription(url: string, name: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const input = {
    endpoint: `${url}/push/${name}/${randomUUID()}`,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: auth.toString('base64url'),
  };
  const decrypt = (body: Buffer) =>
    ece.decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString();
  return { input, decrypt, read: (body: Buffer) => JSON.parse(decrypt(body)) as Record<string, unknown> };
}

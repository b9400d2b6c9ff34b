import { isIP } from 'node:net';
import { badUserInput } from '@letstalk/errors';
import { checkAddress } from '@letstalk/safe-fetch';
import { MAX_PUSH_ENDPOINT_LENGTH } from '../limits.ts';

/** A browser's push subscription as `PushSubscription.toJSON()` gives it: the endpoint and its two keys. */
export interface PushSubscriptionKeys {
  endpoint: string;
  /** The browser's P-256 public key, base64url: 65 bytes, uncompressed (0x04 first). */
  p256dh: string;
  /** The shared authentication secret, base64url: 16 bytes. */
  auth: string;
}

/** The bytes of a base64url (or base64) string, or undefined when it is not one. */
function base64urlBytes(value: string): Buffer | undefined {
  const text = value.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9_+/-]+$/.test(text)) return undefined;
  return Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
}

/**
 * A push subscription checked before it is stored. The endpoint is a URL the notification worker will POST to, so
 * it is untrusted: https only, no credentials, and an IP literal only when public (a name is accepted here; the
 * sender must resolve it and refuse a private address at each send, through @letstalk/safe-fetch). `allowHosts` (PUSH_ALLOW_HOSTS) lifts both for named hosts: a fake push
 * service on 127.0.0.1 in tests. The keys must have their exact sizes. BAD_USER_INPUT names the wrong field.
 */
export function checkPushSubscription(
  input: PushSubscriptionKeys,
  allowHosts: readonly string[],
): PushSubscriptionKeys {
  const endpoint = input.endpoint.trim();
  const wrong = (why: string) => badUserInput(`The push endpoint ${why}.`, 'endpoint');
  if (endpoint.length === 0 || endpoint.length > MAX_PUSH_ENDPOINT_LENGTH)
    throw wrong(`has 1 to ${MAX_PUSH_ENDPOINT_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw wrong('is not a URL');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const allowed = allowHosts.includes(host);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) throw wrong('must be an https URL');
  if (url.username || url.password) throw wrong('may not carry credentials');
  if (!allowed && (isIP(host) !== 0 ? !checkAddress(host).allowed : !host.includes('.')))
    throw wrong('must be a public push service');
  const p256dh = base64urlBytes(input.p256dh);
  if (p256dh?.length !== 65 || p256dh[0] !== 0x04)
    throw badUserInput('p256dh is an uncompressed P-256 public key (65 bytes, base64url).', 'p256dh');
  const auth = base64urlBytes(input.auth);
  if (auth?.length !== 16) throw badUserInput('auth is a 16-byte secret (base64url).', 'auth');
  return { endpoint: url.href, p256dh: p256dh.toString('base64url'), auth: auth.toString('base64url') };
}

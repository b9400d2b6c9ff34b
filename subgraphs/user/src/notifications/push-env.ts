import webpush from 'web-push';
import { readOrCreateSecret } from '@letstalk/auth';
import { commaList, z } from '@letstalk/config';

/** What push notifications read: the server's VAPID keys (RFC 8292) and the push hosts that need not be public. */
export const pushEnv = {
  /** The VAPID key pair (base64url, as `web-push generate-vapid-keys` prints it); made under DATA_DIR outside production. */
  PUSH_VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  PUSH_VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  /** Who push services may contact about this server: a `mailto:` or `https:` URL. */
  PUSH_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'a mailto: or https:// URL')
    .default('mailto:admin@letstalk.invalid'),
  /**
   * Push endpoint hosts (comma-separated) that may be posted to although they are not public addresses, over http
   * too: a fake push service on 127.0.0.1 in tests. Empty by default: public https push services only.
   */
  PUSH_ALLOW_HOSTS: commaList(),
};

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/**
 * The VAPID keys push notifications are signed with: the configured pair, or outside production a pair made once
 * under `DATA_DIR/keys` and shared by the user subgraph and the notification worker. In production without a
 * configured pair, push is off (undefined).
 */
export async function loadVapidKeys(env: {
  NODE_ENV: string;
  DATA_DIR: string;
  PUSH_VAPID_PUBLIC_KEY?: string | undefined;
  PUSH_VAPID_PRIVATE_KEY?: string | undefined;
  PUSH_VAPID_SUBJECT: string;
}): Promise<VapidKeys | undefined> {
  const subject = env.PUSH_VAPID_SUBJECT;
  if (env.PUSH_VAPID_PUBLIC_KEY && env.PUSH_VAPID_PRIVATE_KEY)
    return { publicKey: env.PUSH_VAPID_PUBLIC_KEY, privateKey: env.PUSH_VAPID_PRIVATE_KEY, subject };
  if (env.NODE_ENV === 'production') return undefined;
  const pair = await readOrCreateSecret(env.DATA_DIR, 'vapid-keys', () => JSON.stringify(webpush.generateVAPIDKeys()));
  const { publicKey, privateKey } = JSON.parse(pair) as { publicKey: string; privateKey: string };
  return { publicKey, privateKey, subject };
}

import { randomBytes } from 'node:crypto';
import { readOrCreateSecret } from '@letstalk/auth';
import type { MediaEnv } from '../env.ts';

/**
 * The secret that signs image URLs: MEDIA_URL_SECRET (required in production: see env.ts), or else one made once under
 * `DATA_DIR/keys` and shared by every process of the installation (the first to start writes it).
 */
export async function loadUrlSecret(env: MediaEnv): Promise<string> {
  if (env.MEDIA_URL_SECRET) return env.MEDIA_URL_SECRET;
  return readOrCreateSecret(env.DATA_DIR, 'media-url-secret', () => randomBytes(32).toString('base64url'));
}

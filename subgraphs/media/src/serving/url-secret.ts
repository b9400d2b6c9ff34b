import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaEnv } from '../env.ts';

/**
 * The secret that signs image URLs: MEDIA_URL_SECRET, or outside production one made once under
 * `DATA_DIR/keys` and shared by every process of the installation (the first to start writes it).
 */
export async function loadUrlSecret(env: MediaEnv): Promise<string> {
  if (env.MEDIA_URL_SECRET) return env.MEDIA_URL_SECRET;
  if (env.NODE_ENV === 'production') throw new Error('MEDIA_URL_SECRET is required in production');
  const directory = join(env.DATA_DIR, 'keys');
  const path = join(directory, 'media-url-secret');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(directory, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(path, secret, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(path, 'utf8')).trim();
    throw error;
  }
}

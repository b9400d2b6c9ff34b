import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret of the installation kept in `<dataDir>/keys/<name>`, for when its setting is left unset
 * outside production (the access-token signing key, the media URL secret): read when the file exists
 * (surrounding whitespace dropped), else made by `create` and written with mode 0600, so every process of
 * the installation and every restart use the same one. Of several processes starting at once, the first
 * to write wins and the others read its secret.
 */
export async function readOrCreateSecret(
  dataDir: string,
  name: string,
  create: () => string | Promise<string>,
): Promise<string> {
  const directory = join(dataDir, 'keys');
  const path = join(directory, name);
  const read = async () => (await readFile(path, 'utf8')).trim();
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(directory, { recursive: true });
  const secret = await create();
  try {
    await writeFile(path, secret, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  }
}

import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret of the installation kept in `<dataDir>/keys/<name>`, for when its setting is left unset
 * outside production (the access-token signing key, the media URL secret): read when the file exists
 * (surrounding whitespace dropped), else made by `create` and written with mode 0600, so every process of
 * the installation and every restart use the same one. Of several processes starting at once, the first
 * to write wins and the others read its secret: it is written under a name of its own, then linked to its
 * place, which appears whole or not at all (a process reading as another wrote read half a key).
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
  const written = join(directory, `.${name}.${randomUUID()}`);
  await writeFile(written, secret, { flag: 'wx', mode: 0o600 });
  try {
    await link(written, path);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  } finally {
    await rm(written, { force: true });
  }
}

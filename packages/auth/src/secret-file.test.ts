import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSigningKey } from './index.ts';
import { readOrCreateSecret } from './secret-file.ts';

const dataDir = () => mkdtemp(join(tmpdir(), 'letstalk-secret-'));

describe('readOrCreateSecret', () => {
  it('creates the secret once under keys/, readable by its owner only, and reads it back after', async () => {
    const dir = await dataDir();
    let made = 0;
    const create = () => `secret-${++made}`;
    expect(await readOrCreateSecret(dir, 'test-secret', create)).toBe('secret-1');
    expect(await readOrCreateSecret(dir, 'test-secret', create)).toBe('secret-1');
    expect(made).toBe(1);
    expect((await stat(join(dir, 'keys', 'test-secret'))).mode & 0o777).toBe(0o600);
    // A newline an editor added is not part of the secret.
    await writeFile(join(dir, 'keys', 'test-secret'), 'edited\n');
    expect(await readOrCreateSecret(dir, 'test-secret', create)).toBe('edited');
  });

  it('keeps a development signing key across restarts', async () => {
    const dir = await dataDir();
    const first = await loadSigningKey({ dataDir: dir });
    expect((await loadSigningKey({ dataDir: dir })).kid).toBe(first.kid);
    await expect(loadSigningKey({})).rejects.toThrow(/AUTH_PRIVATE_KEY/);
  });
});

import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localServices } from '@letstalk/testing';
import { createDatabase, createPool, ensureDatabase, migrateDatabase } from '@letstalk/db';
import { createPreviewLoader, createSettledPreviewCache } from '../src/data/preview-loader.ts';
import { linkPreviews, tables } from '../src/data/tables.ts';
import { linkKey } from '../src/links/normalize-link.ts';

const DATABASE = 'letstalk_preview_test';
const serverUrl = localServices().databaseUrl;
let pool: ReturnType<typeof createPool>;
let db: ReturnType<typeof createDatabase<typeof tables>>;

beforeAll(async () => {
  await ensureDatabase(serverUrl, DATABASE);
  pool = createPool(serverUrl, DATABASE);
  await migrateDatabase(pool, fileURLToPath(new URL('../migrations', import.meta.url)));
  db = createDatabase(pool, tables);
});
afterAll(async () => {
  await pool?.end();
});

async function preview(status: 'PENDING' | 'READY' | 'FAILED', expiresInMs: number | null) {
  const url = `https://cache.example/${randomUUID()}`;
  const urlHash = linkKey(url);
  await db.insert(linkPreviews).values({
    urlHash,
    url,
    status,
    title: 'before',
    expiresAt: expiresInMs === null ? null : new Date(Date.now() + expiresInMs),
  });
  return urlHash;
}

describe('the settled preview cache', () => {
  it('keeps a settled preview until it expires, and reads a PENDING or expired one every time', async () => {
    const cache = createSettledPreviewCache();
    const fresh = await preview('READY', 60_000);
    const failed = await preview('FAILED', 60_000);
    const pending = await preview('PENDING', null);
    const expired = await preview('READY', -1_000);
    const keys = [fresh, failed, pending, expired];
    expect(
      (await createPreviewLoader(db, cache).loadMany(keys)).map((row) => (row as { title: string }).title),
    ).toEqual(['before', 'before', 'before', 'before']);

    for (const urlHash of keys)
      await db.update(linkPreviews).set({ title: 'after' }).where(eq(linkPreviews.urlHash, urlHash));
    // A later request (a new loader) with the same process cache.
    const rows = await createPreviewLoader(db, cache).loadMany([...keys, linkKey('https://cache.example/unknown')]);
    expect(rows.map((row) => (row ? (row as { title: string }).title : null))).toEqual([
      'before',
      'before',
      'after',
      'after',
      null,
    ]);
  });
});

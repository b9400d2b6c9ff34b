import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { PreviewDb } from './tables.ts';
import { findPreviews, type PreviewRow } from './preview-repository.ts';

/** Settled previews kept in memory per subgraph process (each until it expires; least recently used go first). */
const SETTLED_PREVIEW_CACHE_SIZE = 50_000;

/**
 * Settled previews by link key. A READY or FAILED row cannot change before its `expires_at` (only an
 * expired row is fetched again), so a process may keep it until then without ever showing stale content;
 * a PENDING row is always read from the database.
 */
export function createSettledPreviewCache() {
  return new LRUCache<string, PreviewRow>({ max: SETTLED_PREVIEW_CACHE_SIZE, ttlAutopurge: false });
}

export type SettledPreviewCache = ReturnType<typeof createSettledPreviewCache>;

/** A request's loader of previews by link key: the cache first, then one query for the rest. */
export function createPreviewLoader(db: PreviewDb, cache: SettledPreviewCache) {
  return new DataLoader(async (keys: readonly string[]) => {
    const found = new Map<string, PreviewRow>();
    const missing: string[] = [];
    for (const key of keys) {
      const hit = cache.get(key);
      if (hit) found.set(key, hit);
      else missing.push(key);
    }
    if (missing.length > 0) {
      const now = Date.now();
      for (const row of await findPreviews(db, missing)) {
        found.set(row.urlHash, row);
        const ttl = (row.expiresAt?.getTime() ?? 0) - now;
        if (row.status !== 'PENDING' && ttl > 0) cache.set(row.urlHash, row, { ttl });
      }
    }
    return keys.map((key) => found.get(key) ?? null);
  });
}

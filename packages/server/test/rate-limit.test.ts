import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ensureDatabase, type Pool, type ResultSetHeader, type RowDataPacket } from '@letstalk/db';
import { databaseUrl, loadConfig } from '@letstalk/config';
import { consumePoint, createRateLimiter, type RateLimiter } from '../src/index.ts';

const DATABASE = 'letstalk_rate_limit_test';
// The server the integration tests use (`localServices()` of @letstalk/testing reads the same setting).
const serverUrl = loadConfig('rate-limit test', { DATABASE_URL: databaseUrl }).DATABASE_URL;

/** Two pools on one database: two instances of a subgraph. */
let instanceA: Pool;
let instanceB: Pool;

beforeAll(async () => {
  await ensureDatabase(serverUrl, DATABASE);
  instanceA = createPool(serverUrl, DATABASE);
  instanceB = createPool(serverUrl, DATABASE);
});

afterAll(async () => {
  await instanceA?.end();
  await instanceB?.end();
});

const limiterOn = (pool: Pool, keyPrefix: string, points: number, durationSeconds: number) =>
  createRateLimiter(pool, DATABASE, { keyPrefix, points, durationSeconds });

/** The error `consumePoint` throws, or undefined when the point was taken. */
async function refusal(limiter: RateLimiter, key: string, points = 1) {
  try {
    await consumePoint(limiter, key, points);
    return undefined;
  } catch (error) {
    return error as Error & { extensions: { code: string; retryAfterSeconds: number } };
  }
}

async function storedRow(key: string) {
  const [rows] = await instanceA.query<RowDataPacket[]>('SELECT points, expire FROM rate_limits WHERE `key` = ?', [
    key,
  ]);
  return rows[0] as { points: number; expire: number | null } | undefined;
}

describe('createRateLimiter / consumePoint', () => {
  it('lets the points of a window through, then refuses with RATE_LIMITED and the wait', async () => {
    const limiter = await limiterOn(instanceA, `limit-${randomUUID()}`, 3, 60);
    const user = randomUUID();
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) expect(await refusal(limiter, user)).toBeUndefined();
    const refused = await refusal(limiter, user);
    expect(refused?.extensions.code).toBe('RATE_LIMITED');
    expect(refused?.extensions.retryAfterSeconds).toBeGreaterThan(58);
    expect(refused?.extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The columns a running deployment already has: the refused point counted, the window's end in ms.
    const row = await storedRow(`${limiter.keyPrefix}:${user}`);
    expect(row?.points).toBe(4);
    expect(Number(row?.expire)).toBeGreaterThanOrEqual(started + 60_000);
    expect(Number(row?.expire)).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('reports what the library reports: consumed and remaining points, the wait, the first of a window', async () => {
    const limiter = await limiterOn(instanceA, `res-${randomUUID()}`, 5, 30);
    const user = randomUUID();
    const first = await limiter.consume(user, 2);
    expect(first).toMatchObject({ consumedPoints: 2, remainingPoints: 3, isFirstInDuration: true });
    // The library reads the wait off the clock after the statement, so a few ms may have gone.
    expect(first.msBeforeNext).toBeGreaterThan(30_000 - 15);
    expect(first.msBeforeNext).toBeLessThanOrEqual(30_000);
    await new Promise((wait) => setTimeout(wait, 20));
    const second = await limiter.consume(user, 1);
    expect(second).toMatchObject({ consumedPoints: 3, remainingPoints: 2, isFirstInDuration: false });
    expect(second.msBeforeNext).toBeLessThan(30_000 - 15);
    expect(second.msBeforeNext).toBeGreaterThan(29_000);
    const rejected = await limiter.consume(user, 3).catch((rejection: unknown) => rejection);
    expect(rejected).toMatchObject({ consumedPoints: 6, remainingPoints: 0 });
    expect(await limiter.reward(user, 3)).toMatchObject({ consumedPoints: 3 });
    expect(await limiter.penalty(user, 1)).toMatchObject({ consumedPoints: 4 });
    const state = await limiter.get(user);
    expect(state?.consumedPoints).toBe(4);
    expect(state?.msBeforeNext).toBeGreaterThan(29_000);
    expect(await limiter.delete(user)).toBe(true);
    expect(await limiter.get(user)).toBeNull();
  });

  it('starts a new window once the last one has ended', async () => {
    const limiter = await limiterOn(instanceA, `window-${randomUUID()}`, 2, 1);
    const user = randomUUID();
    expect(await refusal(limiter, user)).toBeUndefined();
    expect(await refusal(limiter, user)).toBeUndefined();
    expect((await refusal(limiter, user))?.extensions.code).toBe('RATE_LIMITED');
    await new Promise((wait) => setTimeout(wait, 1_100));
    const fresh = await limiter.consume(user);
    expect(fresh).toMatchObject({ consumedPoints: 1, isFirstInDuration: true });
    expect(fresh.msBeforeNext).toBeGreaterThan(1_000 - 15);
    expect(await refusal(limiter, user)).toBeUndefined();
    expect((await refusal(limiter, user))?.extensions.code).toBe('RATE_LIMITED');
  });

  it('never lets two instances consuming one key at once past the limit', async () => {
    const prefix = `race-${randomUUID()}`;
    const [onA, onB] = [await limiterOn(instanceA, prefix, 20, 60), await limiterOn(instanceB, prefix, 20, 60)];
    const user = randomUUID();
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => refusal(i % 2 === 0 ? onA : onB, user)));
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome?.extensions.code === 'RATE_LIMITED')).toHaveLength(30);
    expect((await storedRow(`${prefix}:${user}`))?.points).toBe(50);
  });

  it('keeps the counts of another prefix apart', async () => {
    const [sends, edits] = [
      await limiterOn(instanceA, `send-${randomUUID()}`, 1, 60),
      await limiterOn(instanceA, `edit-${randomUUID()}`, 1, 60),
    ];
    const user = randomUUID();
    expect(await refusal(sends, user)).toBeUndefined();
    expect((await refusal(sends, user))?.extensions.code).toBe('RATE_LIMITED');
    expect(await refusal(edits, user)).toBeUndefined();
  });

  it('blocks, sets, and keeps a window that never ends (duration 0)', async () => {
    const limiter = await limiterOn(instanceA, `block-${randomUUID()}`, 2, 60);
    const user = randomUUID();
    await limiter.consume(user);
    await limiter.block(user, 8 * 24 * 3600);
    const blocked = await limiter.consume(user).catch((rejection: unknown) => rejection as { msBeforeNext: number });
    expect(blocked).toMatchObject({ consumedPoints: 4 });
    // Past 2^29 ms the wait comes back in whole seconds, rounded up.
    expect(blocked.msBeforeNext).toBeGreaterThan(8 * 24 * 3600_000 - 2_000);
    expect(blocked.msBeforeNext).toBeLessThanOrEqual(8 * 24 * 3600_000 + 1_000);
    // Between 2^28 and 2^29 ms the packed count has its top bit set (mysql2 reads it as a negative string).
    await limiter.block(user, 5 * 24 * 3600);
    const blockedLess = await limiter
      .consume(user)
      .catch((rejection: unknown) => rejection as { msBeforeNext: number });
    expect(blockedLess).toMatchObject({ consumedPoints: 4 });
    expect(blockedLess.msBeforeNext).toBeGreaterThan(5 * 24 * 3600_000 - 1_000);
    expect(blockedLess.msBeforeNext).toBeLessThanOrEqual(5 * 24 * 3600_000);
    await limiter.set(user, 0, 60);
    expect(await limiter.consume(user)).toMatchObject({ consumedPoints: 1 });

    const forever = await limiterOn(instanceA, `forever-${randomUUID()}`, 2, 0);
    expect(await forever.consume(user)).toMatchObject({ consumedPoints: 1, msBeforeNext: -1 });
    expect(await forever.consume(user)).toMatchObject({ consumedPoints: 2, msBeforeNext: -1 });
    expect(await forever.consume(user).catch((rejection: unknown) => rejection)).toMatchObject({
      consumedPoints: 3,
      msBeforeNext: -1,
    });
  });

  it('carries negative counts and counts near the 32-bit column limit', async () => {
    const limiter = await limiterOn(instanceA, `range-${randomUUID()}`, 2 ** 31 - 1, 60);
    const user = randomUUID();
    await limiter.consume(user);
    expect(await limiter.reward(user, 5)).toMatchObject({ consumedPoints: -4 });
    expect(await limiter.penalty(user, 2 ** 31 - 1)).toMatchObject({ consumedPoints: 2 ** 31 - 5 });
    expect(await limiter.penalty(user, 4)).toMatchObject({ consumedPoints: 2 ** 31 - 1 });
    expect(await limiter.reward(user, 2 ** 31 - 1)).toMatchObject({ consumedPoints: 0 });
    expect(await limiter.reward(user, 2 ** 31 - 1)).toMatchObject({ consumedPoints: -(2 ** 31 - 1) });
    expect(await limiter.reward(user, 1)).toMatchObject({ consumedPoints: -(2 ** 31) });
  });

  it('takes a point in one statement, without a transaction', async () => {
    // A pool of one connection, so the session counters are the limiter's.
    const single = createPool(serverUrl, DATABASE, 1);
    try {
      const limiter = await limiterOn(single, `cost-${randomUUID()}`, 100, 60);
      const user = randomUUID();
      const statements = async () => {
        const [rows] = await single.query<RowDataPacket[]>(
          "SHOW SESSION STATUS WHERE Variable_name IN ('Questions', 'Com_begin', 'Com_commit')",
        );
        return Object.fromEntries(rows.map((row) => [row.Variable_name as string, Number(row.Value)]));
      };
      await consumePoint(limiter, user); // the row's insert
      const before = await statements();
      for (let i = 0; i < 10; i += 1) await consumePoint(limiter, user);
      const after = await statements();
      // Questions counts every statement the client sent, the SHOW itself included.
      expect(after.Questions! - before.Questions!).toBe(10 + 1);
      expect(after.Com_begin! - before.Com_begin!).toBe(0);
      expect(after.Com_commit! - before.Com_commit!).toBe(0);
      // The count comes back through LAST_INSERT_ID(x); the connection's next statement reports its own id.
      const [plain] = await single.query<ResultSetHeader>(
        'INSERT INTO rate_limits (`key`, points, expire) VALUES (?, 1, NULL)',
        [`cost-other:${user}`],
      );
      expect(plain.insertId).toBe(0);
    } finally {
      await single.end();
    }
  });
});

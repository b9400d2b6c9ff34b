import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { dataExportRequested, enqueueEvent, type DataExportSource } from '@letstalk/events';
import { DATA_EXPORT_TIMEOUT_MS, DATA_EXPORTS_LISTED, DATA_EXPORTS_PER_USER_PER_DAY } from '../limits.ts';
import { dataExportParts, dataExports, uploaders, type MediaDb } from './tables.ts';

export type DataExportRow = typeof dataExports.$inferSelect;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Where an archive is stored: a key of its own, from its id. */
export const exportKey = (exportId: string) => `${createHash('sha256').update(`export:${exportId}`).digest('hex')}.zip`;

/**
 * Asks for an archive of `userId`'s data: the one being prepared when there is one (asking twice starts nothing
 * new), else a new PREPARING export and, in the same transaction, `media.export.requested` for the subgraphs that
 * own the data. Refused (with the seconds until one counts no more) past DATA_EXPORTS_PER_USER_PER_DAY archives in
 * 24 hours, failed ones aside. The person's `uploaders` row is locked first, so two requests are counted in turn.
 */
export async function requestDataExport(
  db: MediaDb,
  userId: string,
): Promise<{ export: DataExportRow; started: boolean } | { retryAfterSeconds: number }> {
  return db.transaction(async (tx) => {
    await tx
      .insert(uploaders)
      .values({ ownerId: userId })
      .onDuplicateKeyUpdate({ set: { ownerId: userId } });
    await tx.select().from(uploaders).where(eq(uploaders.ownerId, userId)).for('update');
    const now = new Date();
    const recent = await tx
      .select()
      .from(dataExports)
      .where(and(eq(dataExports.userId, userId), gt(dataExports.createdAt, new Date(now.getTime() - DAY_MS))))
      .orderBy(asc(dataExports.createdAt));
    // One PREPARING past the timeout is as good as failed (upkeep marks it so within the hour).
    const stale = (row: DataExportRow) =>
      row.status === 'PREPARING' && row.createdAt.getTime() < now.getTime() - DATA_EXPORT_TIMEOUT_MS;
    const preparing = recent.find((row) => row.status === 'PREPARING' && !stale(row));
    if (preparing) return { export: preparing, started: false };
    const counted = recent.filter((row) => row.status !== 'FAILED' && !stale(row));
    if (counted.length >= DATA_EXPORTS_PER_USER_PER_DAY) {
      const oldest = counted[counted.length - DATA_EXPORTS_PER_USER_PER_DAY]!;
      return { retryAfterSeconds: (oldest.createdAt.getTime() + DAY_MS - now.getTime()) / 1000 };
    }
    const row: DataExportRow = {
      id: randomUUID(),
      userId,
      status: 'PREPARING',
      failureReason: null,
      bytes: null,
      createdAt: now,
      readyAt: null,
      expiresAt: null,
      assemblingUntil: null,
    };
    await tx.insert(dataExports).values(row);
    await enqueueEvent(
      tx,
      dataExportRequested,
      { exportId: row.id, userId, requestedAt: now.toISOString() },
      `export:${row.id}`,
    );
    return { export: row, started: true };
  });
}

/** `userId`'s archives, newest first: those being prepared, ready and not expired, or failed in the last day. */
export function listDataExports(db: MediaDb, userId: string): Promise<DataExportRow[]> {
  const now = new Date();
  return db
    .select()
    .from(dataExports)
    .where(
      and(
        eq(dataExports.userId, userId),
        or(
          eq(dataExports.status, 'PREPARING'),
          and(eq(dataExports.status, 'READY'), gt(dataExports.expiresAt, now)),
          and(eq(dataExports.status, 'FAILED'), gt(dataExports.createdAt, new Date(now.getTime() - DAY_MS))),
        ),
      ),
    )
    .orderBy(desc(dataExports.createdAt))
    .limit(DATA_EXPORTS_LISTED);
}

export async function findDataExport(db: MediaDb, exportId: string): Promise<DataExportRow | undefined> {
  const [row] = await db.select().from(dataExports).where(eq(dataExports.id, exportId));
  return row;
}

/** A part as the worker keeps it until the archive is built. */
export interface StoredPart {
  exportId: string;
  source: DataExportSource;
  attempt: string;
  index: number;
  last: boolean;
  refused?: string | undefined;
  chunks: { file: string; text: string }[];
}

/** Keeps a part; the same part twice (a redelivery) is kept once (the first copy stays). */
export async function recordExportPart(db: MediaDb, part: StoredPart): Promise<void> {
  await db
    .insert(dataExportParts)
    .values({
      exportId: part.exportId,
      source: part.source,
      attempt: part.attempt,
      idx: part.index,
      last: part.last,
      refused: part.refused ?? null,
      content: JSON.stringify(part.chunks),
    })
    .onDuplicateKeyUpdate({ set: { idx: sql`${dataExportParts.idx}` } });
}

/**
 * Where an export's parts stand: for each source, the first attempt that arrived whole (its last part and every
 * one before it), or `refused` when a source said it will not contribute; `waiting` while some source has neither.
 */
export async function exportProgress(
  db: MediaDb,
  exportId: string,
  sources: readonly DataExportSource[],
): Promise<{ waiting: true } | { refused: string } | { attempts: Record<DataExportSource, string> }> {
  const rows = await db
    .select({
      source: dataExportParts.source,
      attempt: dataExportParts.attempt,
      count: sql<number>`COUNT(*)`.mapWith(Number),
      lastIndex: sql<number | null>`MAX(CASE WHEN ${dataExportParts.last} THEN ${dataExportParts.idx} END)`,
      refused: sql<string | null>`MAX(${dataExportParts.refused})`,
      startedAt: sql<number>`UNIX_TIMESTAMP(MIN(${dataExportParts.createdAt}))`.mapWith(Number),
    })
    .from(dataExportParts)
    .where(eq(dataExportParts.exportId, exportId))
    .groupBy(dataExportParts.source, dataExportParts.attempt);
  const refused = rows.find((row) => row.refused !== null);
  if (refused) return { refused: refused.refused! };
  const attempts: Partial<Record<DataExportSource, string>> = {};
  for (const source of sources) {
    const whole = rows
      .filter((row) => row.source === source && row.lastIndex !== null && Number(row.lastIndex) + 1 === row.count)
      .sort((a, b) => a.startedAt - b.startedAt)[0];
    if (!whole) return { waiting: true };
    attempts[source] = whole.attempt;
  }
  return { attempts: attempts as Record<DataExportSource, string> };
}

/**
 * Notes that a worker builds a PREPARING archive until `until`: upkeep does not time out an archive being built.
 * False when the export is no longer PREPARING.
 */
export async function markAssembling(db: MediaDb, exportId: string, until: Date): Promise<boolean> {
  const [result] = await db
    .update(dataExports)
    .set({ assemblingUntil: until })
    .where(and(eq(dataExports.id, exportId), eq(dataExports.status, 'PREPARING')));
  return result.affectedRows === 1;
}

/**
 * The parts of one attempt of a source, in order, read one at a time (a part is at most a few hundred KiB); throws
 * when one is missing before the last.
 */
export async function* readExportParts(
  db: MediaDb,
  exportId: string,
  source: DataExportSource,
  attempt: string,
): AsyncGenerator<{ file: string; text: string }[]> {
  for (let idx = 0; ; idx += 1) {
    const [row] = await db
      .select({ content: dataExportParts.content, last: dataExportParts.last })
      .from(dataExportParts)
      .where(
        and(
          eq(dataExportParts.exportId, exportId),
          eq(dataExportParts.source, source),
          eq(dataExportParts.attempt, attempt),
          eq(dataExportParts.idx, idx),
        ),
      );
    if (!row) throw new Error(`part ${idx} of ${source}'s attempt ${attempt} of export ${exportId} is missing`);
    yield JSON.parse(row.content) as { file: string; text: string }[];
    if (row.last) return;
  }
}

/** Ends an export as READY (or FAILED, with `failure`) and forgets its parts. Only a PREPARING one changes. */
export async function endDataExport(
  db: MediaDb,
  exportId: string,
  outcome: { bytes: number; readyAt: Date; expiresAt: Date } | { failure: string },
): Promise<boolean> {
  const set =
    'failure' in outcome
      ? { status: 'FAILED' as const, failureReason: outcome.failure.slice(0, 200), assemblingUntil: null }
      : { status: 'READY' as const, bytes: outcome.bytes, readyAt: outcome.readyAt, expiresAt: outcome.expiresAt };
  return db.transaction(async (tx) => {
    const [result] = await tx
      .update(dataExports)
      .set(set)
      .where(and(eq(dataExports.id, exportId), eq(dataExports.status, 'PREPARING')));
    await tx.delete(dataExportParts).where(eq(dataExportParts.exportId, exportId));
    return result.affectedRows === 1;
  });
}

/**
 * Upkeep: archives past their `expires_at` are deleted (`remove` deletes the stored zip first), exports still
 * PREPARING after DATA_EXPORT_TIMEOUT_MS fail unless a worker is building them, failed ones are forgotten after a
 * week (with any zip a build stored before it failed), and parts of exports that are over (a part that came late)
 * are deleted. Returns how many changed.
 */
export async function collectDataExports(db: MediaDb, remove: (exportId: string) => Promise<void>): Promise<number> {
  const now = Date.now();
  const gone = await db
    .select({ id: dataExports.id })
    .from(dataExports)
    .where(
      or(
        and(eq(dataExports.status, 'READY'), lt(dataExports.expiresAt, new Date(now))),
        and(eq(dataExports.status, 'FAILED'), lt(dataExports.createdAt, new Date(now - 7 * DAY_MS))),
      ),
    )
    .limit(100);
  for (const { id } of gone) {
    await remove(id);
    await db.delete(dataExports).where(eq(dataExports.id, id));
  }
  const stale = await db
    .select({ id: dataExports.id })
    .from(dataExports)
    .where(
      and(
        eq(dataExports.status, 'PREPARING'),
        lt(dataExports.createdAt, new Date(now - DATA_EXPORT_TIMEOUT_MS)),
        or(isNull(dataExports.assemblingUntil), lt(dataExports.assemblingUntil, new Date(now))),
      ),
    )
    .limit(100);
  for (const { id } of stale) await endDataExport(db, id, { failure: 'The archive could not be prepared in time.' });
  const [orphans] = await db.execute(
    sql`DELETE p FROM ${dataExportParts} p LEFT JOIN ${dataExports} e ON e.id = p.export_id WHERE e.id IS NULL OR e.status <> 'PREPARING'`,
  );
  return gone.length + stale.length + (orphans as unknown as { affectedRows: number }).affectedRows;
}

/** Deletes every archive of `userId` (`remove` deletes each stored zip first) and their parts: the account is gone. */
export async function deleteDataExportsOf(
  db: MediaDb,
  userId: string,
  remove: (exportId: string) => Promise<void>,
): Promise<number> {
  const rows = await db.select({ id: dataExports.id }).from(dataExports).where(eq(dataExports.userId, userId));
  for (const { id } of rows) {
    await remove(id);
    await db.delete(dataExportParts).where(eq(dataExportParts.exportId, id));
    await db.delete(dataExports).where(eq(dataExports.id, id));
  }
  return rows.length;
}

import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import {
  connectNats,
  dataExportPart,
  DATA_EXPORT_TIMEOUT_MS,
  MAX_DATA_EXPORT_PART_BYTES,
  publishDataExport,
  refuseDataExport,
} from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { publishEvent, startPrivateNats, waitUntil } from '@letstalk/testing';
import { collectDataExports, exportKey, findDataExport } from '../src/data/export-repository.ts';
import { dataExportParts, dataExports } from '../src/data/tables.ts';
import { startImageWorkerService } from '../src/worker/service.ts';
import { startMediaHarness } from './harness.ts';

/** The names of a zip's entries, and the text of one. */
function readZip(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error) return reject(error);
      const entries = new Map<string, string>();
      archive.on('end', () => resolve(entries));
      archive.on('entry', (entry: yauzl.Entry) =>
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString());
            archive.readEntry();
          });
        }),
      );
      archive.readEntry();
    });
  });
}

describe('data exports in the media worker', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let worker: Awaited<ReturnType<typeof startImageWorkerService>>;
  let nats: Awaited<ReturnType<typeof startPrivateNats>>;
  let nc: NatsConnection;

  beforeAll(async () => {
    // A NATS server of its own: the user and message integration tests' subgraphs answer export requests on the
    // shared one, for people they do not know. This test plays those sources itself. A database of its own too.
    nats = await startPrivateNats();
    media = await startMediaHarness({ MEDIA_DATABASE: 'letstalk_media_export_test', NATS_URL: nats.url });
    worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
      { retryDelayMs: () => 50 },
    );
    nc = await connectNats(nats.url, 'media-export-test');
  });

  afterAll(async () => {
    await nc?.close();
    await worker?.stop();
    await media?.close();
    await nats?.stop();
  });

  /** Asks for an archive as `person` through the subgraph; returns its id. */
  async function ask(person: { token: string }): Promise<string> {
    const response = await fetch(media.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${person.token}` },
      body: JSON.stringify({ query: 'mutation { exportMyData { id status } }' }),
    });
    const body = (await response.json()) as { data: { exportMyData: { id: string; status: string } } };
    expect(body.data.exportMyData.status).toBe('PREPARING');
    return body.data.exportMyData.id;
  }

  const settled = async (exportId: string) => {
    await waitUntil(async () => (await findDataExport(media.db, exportId))?.status !== 'PREPARING', 'the archive', {
      timeoutMs: 20_000,
    });
    return (await findDataExport(media.db, exportId))!;
  };

  it('builds the archive from parts of many chunks, in order, from the first attempt that arrived whole', async () => {
    const person = await media.person();
    const exportId = await ask(person);
    // A source that crashed half-way: two parts of an attempt, never its last one.
    const abandoned = randomUUID();
    for (const index of [0, 1]) {
      await publishEvent(nc, dataExportPart, {
        exportId,
        source: 'message',
        attempt: abandoned,
        index,
        last: false,
        chunks: [{ file: 'messages.jsonl', text: '{"from":"the abandoned attempt"}\n' }],
      });
    }
    // Its next attempt: enough lines for several parts.
    const line = (n: number) => JSON.stringify({ n, text: 'x'.repeat(1000) });
    const count = Math.ceil((3 * MAX_DATA_EXPORT_PART_BYTES) / 1000);
    const lines = [
      { file: 'chats.jsonl', line: '{"id":"c1"}' },
      ...Array.from({ length: count }, (_, n) => ({ file: 'messages.jsonl', line: line(n) })),
    ];
    const parts = await publishDataExport(nc, { exportId, source: 'message' }, lines);
    expect(parts).toBeGreaterThanOrEqual(4);
    expect((await findDataExport(media.db, exportId))?.status).toBe('PREPARING');
    await publishDataExport(nc, { exportId, source: 'user' }, [{ file: 'profile.json', line: '{"id":"me"}' }]);

    const archive = await settled(exportId);
    expect(archive).toMatchObject({ status: 'READY', failureReason: null });
    const zip = Buffer.concat(await (await media.storage.read(exportKey(exportId)))!.toArray());
    expect(zip.length).toBe(archive.bytes);
    const entries = await readZip(zip);
    expect([...entries.keys()]).toEqual([
      'README.txt',
      // The user subgraph's files first, then the message subgraph's (DATA_EXPORT_SOURCES).
      'profile.json',
      'chats.jsonl',
      'messages.jsonl',
      'images.jsonl',
      'files.jsonl',
    ]);
    expect(entries.get('messages.jsonl')).toBe(
      lines
        .slice(1)
        .map((entry) => `${entry.line}\n`)
        .join(''),
    );
    expect(entries.get('profile.json')).toBe('{"id":"me"}\n');
    // The parts are forgotten once the archive is built.
    expect(await media.db.select().from(dataExportParts).where(eq(dataExportParts.exportId, exportId))).toEqual([]);
  }, 60_000);

  it('takes parts in any order, and of two whole attempts of a source the first', async () => {
    const person = await media.person();
    const exportId = await ask(person);
    const part = (attempt: string, index: number, last: boolean, text: string) =>
      publishEvent(nc, dataExportPart, {
        exportId,
        source: 'message',
        attempt,
        index,
        last,
        chunks: [{ file: 'messages.jsonl', text }],
      });
    // The first attempt's last part comes before its first one (another instance took the first one later).
    const first = randomUUID();
    await part(first, 1, true, 'second\n');
    await part(first, 0, false, 'first\n');
    await waitUntil(
      async () =>
        (await media.db.select().from(dataExportParts).where(eq(dataExportParts.attempt, first))).length === 2,
      'the parts',
    );
    // A later attempt, whole too: not used.
    await publishDataExport(nc, { exportId, source: 'message' }, [{ file: 'messages.jsonl', line: 'later' }]);
    await publishDataExport(nc, { exportId, source: 'user' }, [{ file: 'profile.json', line: '{}' }]);
    expect(await settled(exportId)).toMatchObject({ status: 'READY' });
    const zip = Buffer.concat(await (await media.storage.read(exportKey(exportId)))!.toArray());
    expect((await readZip(zip)).get('messages.jsonl')).toBe('first\nsecond\n');
  }, 30_000);

  it('fails when a source refuses, and the person may ask again', async () => {
    const person = await media.person();
    const exportId = await ask(person);
    await publishDataExport(nc, { exportId, source: 'message' }, []);
    await refuseDataExport(nc, { exportId, source: 'user' }, 'The account no longer exists.');
    expect(await settled(exportId)).toMatchObject({ status: 'FAILED', failureReason: 'The account no longer exists.' });
    expect(await ask(person)).not.toBe(exportId);
  }, 30_000);

  it('fails archives a part never came for, and deletes expired ones with their zip', async () => {
    const person = await media.person();
    const stale = await ask(person);
    await media.db
      .update(dataExports)
      .set({ createdAt: new Date(Date.now() - DATA_EXPORT_TIMEOUT_MS - 1000) })
      .where(eq(dataExports.id, stale));
    const expired = randomUUID();
    await media.db.insert(dataExports).values({
      id: expired,
      userId: person.id,
      status: 'READY',
      bytes: 3,
      readyAt: new Date(Date.now() - 8 * 24 * 3600_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    await media.storage.putBytes(exportKey(expired), Buffer.from('zip'), 'application/zip');
    // As old, but a worker is building it: left alone.
    const building = await ask(await media.person());
    await media.db
      .update(dataExports)
      .set({
        createdAt: new Date(Date.now() - DATA_EXPORT_TIMEOUT_MS - 1000),
        assemblingUntil: new Date(Date.now() + 60_000),
      })
      .where(eq(dataExports.id, building));
    // A part that came after its export was over.
    await media.db.insert(dataExportParts).values({
      exportId: expired,
      source: 'user',
      attempt: randomUUID(),
      idx: 0,
      last: true,
      content: '[]',
    });

    await collectDataExports(media.db, (exportId) => media.storage.delete(exportKey(exportId)));
    expect(await findDataExport(media.db, stale)).toMatchObject({ status: 'FAILED' });
    expect(await findDataExport(media.db, building)).toMatchObject({ status: 'PREPARING' });
    expect(await media.db.select().from(dataExportParts).where(eq(dataExportParts.exportId, expired))).toEqual([]);
    expect(await findDataExport(media.db, expired)).toBeUndefined();
    expect(await media.storage.head(exportKey(expired))).toBeUndefined();
  });
});

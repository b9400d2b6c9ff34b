import { createHash, randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { connectNats, messageDeleted, type EventEnvelope } from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { fileKey } from '../src/data/file-repository.ts';
import { files, outbox } from '../src/data/tables.ts';
import { collectUnusedFiles } from '../src/worker/file-usage.ts';
import { UNATTACHED_IMAGE_TTL_MS } from '../src/worker/image-usage.ts';
import { startImageWorkerService } from '../src/worker/service.ts';
import { startMediaHarness } from './harness.ts';

type Uploaded = { uploadFile: { id: string; name: string; size: number; contentType: string; url: string } };

/** A few bytes of a real PDF's start: file-type knows it from its signature. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
/** The limit this file's subgraph is started with (MEDIA_MAX_FILE_BYTES), and its stored quota. */
const MAX_FILE_BYTES = 256 * 1024;
const STORED_QUOTA = 600 * 1024;

describe('files for messages (uploadFile)', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;

  beforeAll(async () => {
    media = await startMediaHarness({
      MEDIA_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
      MEDIA_UPLOAD_BYTES_PER_USER_TOTAL: String(STORED_QUOTA),
    });
  });
  afterAll(async () => {
    await media.close();
  });

  const upload = (token: string | undefined, bytes: Buffer, name: string, type?: string) =>
    media.uploadFile<Uploaded>(token, { bytes, name, ...(type ? { type } : {}) });
  const rowOf = async (id: string) => (await media.db.select().from(files).where(eq(files.id, id)))[0];
  /** The media subgraph's own file route (the gateway streams the same path). */
  const download = (url: string, headers: Record<string, string> = {}) => {
    const { pathname, search } = new URL(url);
    return fetch(`${new URL(media.service.url).origin}${pathname}${search}`, { headers });
  };

  it('takes any type, typed from its bytes or name (never the client), the name made safe, and announces it', async () => {
    const alice = await media.person();
    const cases = [
      { bytes: PDF, name: 'report.txt', type: 'text/html', expected: 'application/pdf' },
      { bytes: Buffer.from('just words\n'), name: 'notes.txt', type: 'application/pdf', expected: 'text/plain' },
      { bytes: HTML, name: 'page.html', type: 'text/plain', expected: 'application/octet-stream' },
      {
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        name: 'x.svg',
        expected: 'application/octet-stream',
      },
      { bytes: Buffer.from([1, 2, 3]), name: 'C:\\secret\\inv\u202Egpj.exe', expected: 'application/octet-stream' },
    ];
    for (const { bytes, name, type, expected } of cases) {
      const result = await upload(alice.token, bytes, name, type);
      expect(result.errors, name).toBeUndefined();
      const file = result.data!.uploadFile;
      expect(file).toMatchObject({ size: bytes.length, contentType: expected });
      const hash = createHash('sha256').update(bytes).digest('hex');
      expect(await rowOf(file.id)).toMatchObject({ ownerId: alice.id, contentHash: hash, attachedAt: null });
      expect(await media.storage.head(fileKey(file.id))).toMatchObject({ size: bytes.length });
    }
    const named = await upload(alice.token, Buffer.from([9]), 'C:\\secret\\inv\u202Egpj.exe');
    expect(named.data!.uploadFile.name).toBe('invgpj.exe');
    // media.file.uploaded is written with each upload, so the message subgraph learns the owner.
    const [row] = await media.db
      .select({ count: sql<number>`COUNT(*)` })
      .from(outbox)
      .where(
        and(
          eq(outbox.subject, 'media.file.uploaded'),
          sql`JSON_VALUE(${outbox.payload}, '$.data.fileId') = ${named.data!.uploadFile.id}`,
        ),
      );
    expect(Number(row?.count)).toBe(1);
  });

  it('serves a signed URL only as a download: attachment with the name, nosniff, sandboxed, its stored type, ranges', async () => {
    const alice = await media.person();
    const { url, id } = (await upload(alice.token, HTML, 'Über page.html')).data!.uploadFile;
    const response = await download(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="?ber page.html"; filename*=UTF-8''%C3%9Cber%20page.html`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await response.arrayBuffer()).equals(HTML)).toBe(true);

    const part = await download(url, { range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe(HTML.subarray(2, 5).toString());

    // Tampered, expired, or an image's URL shape: refused without a byte.
    expect((await download(url.replace(/signature=[\w-]+/, `signature=${'A'.repeat(43)}`))).status).toBe(403);
    expect((await download(url.replace(/expires=\d+/, 'expires=1'))).status).toBe(403);
    expect((await download(url.replace(`/files/${id}`, `/media/${id}/original`))).status).toBe(403);
    // Deleted: the URL finds nothing.
    await media.db.delete(files).where(eq(files.id, id));
    expect((await download(url)).status).toBe(404);
  });

  it('refuses an empty file, one past MEDIA_MAX_FILE_BYTES, one past the stored quota, and an anonymous uploader', async () => {
    const alice = await media.person();
    expect((await upload(alice.token, Buffer.alloc(0), 'empty.txt')).code).toBe('BAD_USER_INPUT');
    const largest = await upload(alice.token, Buffer.alloc(MAX_FILE_BYTES, 7), 'largest.bin');
    expect(largest.errors).toBeUndefined();
    const over = await upload(alice.token, Buffer.alloc(MAX_FILE_BYTES + 1, 8), 'over.bin');
    expect(over.code).toBe('PAYLOAD_TOO_LARGE');
    // Files count against the stored quota with images: 256 KiB + 256 KiB fit in 600 KiB, a third does not.
    expect((await upload(alice.token, Buffer.alloc(MAX_FILE_BYTES, 9), 'second.bin')).errors).toBeUndefined();
    const third = await upload(alice.token, Buffer.alloc(MAX_FILE_BYTES, 10), 'third.bin');
    expect(third.code).toBe('PAYLOAD_TOO_LARGE');
    expect(third.errors?.[0]?.extensions).toMatchObject({ limitBytes: STORED_QUOTA });
    expect((await upload(undefined, PDF, 'a.pdf')).code).toBe('UNAUTHENTICATED');
  });

  it('deletes a file never used after a day with its bytes, and one the message subgraph released; keeps the rest', async () => {
    const alice = await media.person();
    const bytes = Buffer.from(randomUUID());
    const unused = (await upload(alice.token, bytes, 'unused.txt')).data!.uploadFile.id;
    const sameBytes = (await upload(alice.token, bytes, 'same.txt')).data!.uploadFile.id;
    const released = (await upload(alice.token, Buffer.from(randomUUID()), 'released.txt')).data!.uploadFile.id;
    // Only `unused` is old; `sameBytes` shows in a message.
    await media.db
      .update(files)
      .set({ createdAt: new Date(Date.now() - UNATTACHED_IMAGE_TTL_MS - 60_000) })
      .where(eq(files.id, unused));
    await media.db.update(files).set({ attachedAt: new Date() }).where(eq(files.id, sameBytes));
    await collectUnusedFiles(media.db, media.storage);
    const left = async () =>
      (
        await media.db
          .select({ id: files.id })
          .from(files)
          .where(inArray(files.id, [unused, sameBytes, released]))
      ).map((row) => row.id);
    expect((await left()).sort()).toEqual([sameBytes, released].sort());
    // The same bytes uploaded twice are two files: the unused one's bytes go, the other's stay.
    expect(await media.storage.head(fileKey(unused))).toBeUndefined();
    expect(await media.storage.head(fileKey(sameBytes))).toBeDefined();

    const worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
    );
    const nc = await connectNats(media.env.NATS_URL, 'media-files-test');
    try {
      const chatId = randomUUID();
      const envelope: EventEnvelope = {
        v: messageDeleted.version,
        data: messageDeleted.schema.parse({
          chatId,
          messageId: `${chatId}:1`,
          seq: 1,
          deletedBy: alice.id,
          deletedAt: new Date().toISOString(),
          releasedFileId: released,
        }),
      };
      await jetstream(nc).publish(messageDeleted.subject, JSON.stringify(envelope), { msgID: randomUUID() });
      const deadline = Date.now() + 20_000;
      // The row goes first, then the bytes: wait for both.
      while ((await left()).includes(released) || (await media.storage.head(fileKey(released)))) {
        if (Date.now() > deadline) throw new Error('the released file was never deleted');
        await new Promise((wait) => setTimeout(wait, 100));
      }
      expect(await left()).toEqual([sameBytes]);
      expect(await media.storage.head(fileKey(released))).toBeUndefined();
    } finally {
      await nc.close();
      await worker.stop();
    }
  });
});

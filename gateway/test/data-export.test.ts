import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import yauzl from 'yauzl';
import {
  BlockUserDocument,
  DataExportsDocument,
  DeleteAccountDocument,
  ExportMyDataDocument,
  LetsTalkError,
  MessagesDocument,
  SendMessageDocument,
  StartDirectChatDocument,
  UploadFileDocument,
  UploadImageDocument,
  type DataExportFieldsFragment,
} from '@letstalk/sdk';
import { jpegWithLocation, waitUntil } from '@letstalk/testing';
import { exportKey } from '../../subgraphs/media/src/data/export-repository.ts';
import { LocalStorage } from '../../subgraphs/media/src/storage/local-storage.ts';
import { clientFor, say, signUp, uniqueName, type Person } from './helpers.ts';

/** Every entry of a zip, by name, as bytes. */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      archive.on('error', reject);
      archive.on('end', () => resolve(entries));
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.readEntry();
    });
  });
}

const jsonLines = (bytes: Buffer | undefined) =>
  (bytes?.toString() ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Waits until `person`'s archive `id` is no longer PREPARING; returns it. */
async function finished(person: Person, id: string): Promise<DataExportFieldsFragment> {
  let found: DataExportFieldsFragment | undefined;
  await waitUntil(
    async () => {
      const { dataExports } = await person.client.request(DataExportsDocument);
      found = dataExports.find((archive) => archive.id === id);
      return found !== undefined && found.status !== 'PREPARING';
    },
    'the archive',
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  return found!;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof LetsTalkError ? error.code : String(error)),
  );

describe('exportMyData through the gateway', () => {
  it("makes a zip of the person's profile, chats, own messages, images and files, downloadable by signed URL", async () => {
    const lastName = uniqueName();
    const [alice, bob, mallory] = await Promise.all([
      signUp({ firstName: 'Alice', lastName }),
      signUp({ firstName: 'Bob', lastName: uniqueName() }),
      signUp({ firstName: 'Mallory', lastName: uniqueName() }),
    ]);
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    await say(alice, chat.id, 'first from Alice');
    await say(bob, chat.id, 'a reply from Bob');
    const original = await jpegWithLocation();
    expect(original.includes('Paris')).toBe(true);
    const photo = new File([new Uint8Array(original)], 'where.jpg', { type: 'image/jpeg' });
    const { uploadImage } = await alice.client.upload(UploadImageDocument, { file: photo, purpose: 'MESSAGE' });
    const report = Buffer.from('quarterly numbers\n');
    const { uploadFile } = await alice.client.upload(UploadFileDocument, {
      file: new File([new Uint8Array(report)], 'report.txt', { type: 'text/plain' }),
    });
    for (const attachment of [{ imageId: uploadImage.id }, { fileId: uploadFile.id }]) {
      await alice.client.request(SendMessageDocument, {
        input: { chatId: chat.id, clientMessageId: randomUUID(), ...attachment },
      });
    }
    await alice.client.request(BlockUserDocument, { userId: mallory.userId });
    await waitUntil(async () => {
      const { messages } = await alice.client.request(MessagesDocument, { chatId: chat.id, last: 10 });
      return messages.edges.some((edge) => edge.node.image?.status === 'READY');
    }, 'the image to be processed');

    // Asked twice while it is being prepared: one archive.
    const { exportMyData: asked } = await alice.client.request(ExportMyDataDocument);
    expect(asked).toMatchObject({ status: 'PREPARING', url: null, size: null });
    const { exportMyData: again } = await alice.client.request(ExportMyDataDocument);
    expect(again.id).toBe(asked.id);
    const ready = await finished(alice, asked.id);
    expect(ready).toMatchObject({ status: 'READY', failureReason: null });
    expect(Date.parse(ready.expiresAt!) - Date.parse(ready.readyAt!)).toBe(7 * 24 * 60 * 60 * 1000);

    // Nobody else sees it.
    expect((await bob.client.request(DataExportsDocument)).dataExports).toEqual([]);

    const url = new URL(ready.url!);
    expect(url.origin).toBe(new URL(inject('gatewayUrl')).origin);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename=letstalk-export-\d{4}-\d\d-\d\d\.zip$/,
    );
    const zip = Buffer.from(await response.arrayBuffer());
    expect(zip.length).toBe(ready.size);
    const entries = await unzip(zip);

    expect(entries.get('README.txt')?.toString()).toContain('messages.jsonl');
    const profile = JSON.parse(entries.get('profile.json')!.toString()) as Record<string, unknown>;
    expect(profile).toMatchObject({ id: alice.userId, email: alice.email, firstName: 'Alice', lastName });
    expect(profile['signInMethods']).toEqual([expect.objectContaining({ provider: 'email', subject: alice.email })]);
    expect(jsonLines(entries.get('sessions.jsonl')).length).toBeGreaterThan(0);
    expect(jsonLines(entries.get('chats.jsonl'))).toEqual([
      expect.objectContaining({ id: chat.id, kind: 'DIRECT', withUserId: bob.userId }),
    ]);
    // Her own messages only: not Bob's.
    const sent = jsonLines(entries.get('messages.jsonl'));
    expect(sent.map((message) => [message['text'], message['imageId'], message['fileId']])).toEqual([
      ['first from Alice', null, null],
      [null, uploadImage.id, null],
      [null, null, uploadFile.id],
    ]);
    expect(jsonLines(entries.get('blocked-users.jsonl'))).toEqual([
      expect.objectContaining({ userId: mallory.userId }),
    ]);
    // The image as the worker cleaned it (no location), and the file as uploaded.
    const [image] = jsonLines(entries.get('images.jsonl'));
    expect(image).toMatchObject({ id: uploadImage.id, purpose: 'MESSAGE', path: `images/${uploadImage.id}.jpg` });
    const imageBytes = entries.get(`images/${uploadImage.id}.jpg`)!;
    expect(imageBytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(imageBytes.includes('Paris') || imageBytes.includes('Phone')).toBe(false);
    expect(jsonLines(entries.get('files.jsonl'))).toEqual([
      expect.objectContaining({ id: uploadFile.id, name: 'report.txt', path: `files/${uploadFile.id}/report.txt` }),
    ]);
    expect(entries.get(`files/${uploadFile.id}/report.txt`)?.equals(report)).toBe(true);

    // A URL for another archive id, or with its signature changed, is refused.
    const forged = new URL(url);
    forged.pathname = `/exports/${randomUUID()}`;
    expect((await fetch(forged)).status).toBe(403);
  }, 90_000);

  it("goes with the account: once it is deleted, the archive's URL no longer downloads", async () => {
    const dana = await signUp({ firstName: 'Dana', lastName: uniqueName() });
    const { exportMyData } = await dana.client.request(ExportMyDataDocument);
    const ready = await finished(dana, exportMyData.id);
    expect((await fetch(ready.url!)).status).toBe(200);
    const stored = new LocalStorage(join(inject('dataDir'), 'media'));
    expect(await stored.head(exportKey(ready.id))).toBeDefined();
    await dana.client.request(DeleteAccountDocument);
    await waitUntil(async () => (await fetch(ready.url!)).status === 404, 'the archive to be deleted');
    await waitUntil(async () => (await stored.head(exportKey(ready.id))) === undefined, 'the zip to be deleted');
  }, 60_000);

  it('is limited to 2 archives a day, and needs a signed-in viewer', async () => {
    const carol = await signUp({ firstName: 'Carol', lastName: uniqueName() });
    for (let archive = 0; archive < 2; archive += 1) {
      const { exportMyData } = await carol.client.request(ExportMyDataDocument);
      expect((await finished(carol, exportMyData.id)).status).toBe('READY');
    }
    expect(await codeOf(carol.client.request(ExportMyDataDocument))).toBe('RATE_LIMITED');
    expect((await carol.client.request(DataExportsDocument)).dataExports).toHaveLength(2);

    const anonymous = clientFor();
    expect(await codeOf(anonymous.request(ExportMyDataDocument))).toBe('UNAUTHENTICATED');
    expect(await codeOf(anonymous.request(DataExportsDocument))).toBe('UNAUTHENTICATED');
    await anonymous.dispose();
  }, 90_000);
});

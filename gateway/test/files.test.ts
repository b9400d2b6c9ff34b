import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import {
  LetsTalkError,
  MessageAddedDocument,
  MessagesDocument,
  SendMessageDocument,
  StartDirectChatDocument,
  UploadFileDocument,
} from '@letstalk/sdk';
import { rawHttpRequest } from '@letstalk/testing';
import { MAX_UPLOAD_BYTES as MAX_IMAGE_BYTES } from '../../subgraphs/media/src/limits.ts';
import { MAX_UPLOAD_BYTES } from '../src/upload-forwarding.ts';
import { collect, signUp, uniqueName, untilLive } from './helpers.ts';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof LetsTalkError ? (error.code ?? `HTTP ${error.status}`) : String(error)),
  );

describe('files through the gateway', () => {
  it('a file larger than any image reaches Bob live, downloadable from the gateway only as an attachment', async () => {
    const [alice, bob, mallory] = await Promise.all(
      ['Alice', 'Bob', 'Mallory'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
    const added = collect(bob!.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await untilLive(bob!.client, alice!, chat.id);

    // Past the image limit, within the file limit: a file is not an image.
    const bytes = Buffer.alloc(MAX_IMAGE_BYTES + 1024, 0x41);
    bytes.write('<html><script>alert(1)</script>', 0);
    const file = new File([new Uint8Array(bytes)], 'Quarterly report.html', { type: 'text/html' });
    const { uploadFile } = await alice!.client.upload(UploadFileDocument, { file });
    expect(uploadFile).toMatchObject({
      name: 'Quarterly report.html',
      size: bytes.length,
      contentType: 'application/octet-stream',
    });
    await alice!.client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), text: 'the numbers', fileId: uploadFile.id },
    });
    await added.until(() => added.data().length === 1, 'the message');
    const live = added.data()[0]!.messageAdded;
    expect(live.file).toMatchObject({ id: uploadFile.id, name: 'Quarterly report.html', size: bytes.length });

    // The URL points at the gateway's origin; the gateway streams it from the media subgraph.
    const url = new URL(live.file!.url);
    expect(url.origin).toBe(new URL(inject('gatewayUrl')).origin);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="Quarterly report\.html"/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);

    // Only the chat's members get the message, so only they get a URL; a mangled one is refused.
    expect(await failure(mallory!.client.request(MessagesDocument, { chatId: chat.id, last: 10 }))).toBe('NOT_FOUND');
    const forged = `${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${'A'.repeat(43)}`;
    expect((await fetch(new URL(forged, url))).status).toBe(403);
    // A hand-written target that is not exactly a signed file URL never reaches the media subgraph.
    for (const target of [`http://169.254.169.254${url.pathname}${url.search}`, `${url.pathname}/..${url.search}`]) {
      expect([400, 404], target).toContain((await rawHttpRequest(inject('gatewayUrl'), target)).status);
    }
    await Promise.all([alice!, bob!, mallory!].map((person) => person.client.dispose()));
  });

  it(`refuses a file past the largest upload (${MAX_UPLOAD_BYTES} bytes, the gateway's and the media subgraph's) and an empty one`, async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const upload = (size: number) =>
      alice.client.upload(UploadFileDocument, { file: new File([new Uint8Array(size)], 'big.bin') });
    expect(await failure(upload(MAX_UPLOAD_BYTES + 1))).toBe('PAYLOAD_TOO_LARGE');
    expect(await failure(upload(0))).toBe('BAD_USER_INPUT');
    await alice.client.dispose();
  });
});

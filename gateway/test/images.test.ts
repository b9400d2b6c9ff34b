import { describe, expect, inject, it } from 'vitest';
import { LetsTalkError, UploadImageDocument } from '@letstalk/sdk';
import { jpegWithOrientation, pngBomb, svg } from '@letstalk/testing';
import { MAX_UPLOAD_BYTES } from '../src/upload-forwarding.ts';
import { clientFor, signUp, uniqueName } from './helpers.ts';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof LetsTalkError ? (error.code ?? `HTTP ${error.status}`) : String(error)),
  );

describe('images through the gateway', () => {
  it('uploads an image as a GraphQL multipart request with the SDK, answered PROCESSING at once', async () => {
    const alice = await signUp({ firstName: 'Alice', lastName: uniqueName() });
    const photo = new File([await jpegWithOrientation()], 'photo.jpg', { type: 'image/jpeg' });
    const { uploadImage } = await alice.client.upload(UploadImageDocument, { file: photo, purpose: 'MESSAGE' });
    expect(uploadImage).toMatchObject({ id: expect.any(String), status: 'PROCESSING', failureReason: null });
    await alice.client.dispose();
  });

  it('refuses what is not an image, a bomb, an oversized file, a signed-out uploader and a cross-site post', async () => {
    const mallory = await signUp({ firstName: 'Mallory', lastName: uniqueName() });
    const upload = (bytes: Buffer, name: string) => mallory.client.upload(UploadImageDocument, { file: new File([new Uint8Array(bytes)], name), purpose: 'MESSAGE' });
    expect(await failure(upload(svg(), 'image.png'))).toBe('BAD_USER_INPUT');
    expect(await failure(upload(pngBomb(), 'bomb.png'))).toBe('PAYLOAD_TOO_LARGE');
    expect(await failure(upload(Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0xff), 'big.jpg'))).toBe('PAYLOAD_TOO_LARGE');
    const anonymous = clientFor();
    expect(await failure(anonymous.upload(UploadImageDocument, { file: new File([await jpegWithOrientation()], 'a.jpg'), purpose: 'MESSAGE' }))).toBe(
      'UNAUTHENTICATED',
    );

    // A form any web page could post (no preflight header): Apollo's CSRF prevention refuses it.
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation($file: Upload!) { uploadImage(file: $file) { id } }', variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([await jpegWithOrientation()]), 'a.jpg');
    const crossSite = await fetch(inject('gatewayUrl'), { method: 'POST', headers: { authorization: `Bearer ${mallory.accessToken}` }, body: form });
    expect(crossSite.status).toBe(400);
    expect(JSON.stringify(await crossSite.json())).toMatch(/preflight/i);
    await mallory.client.dispose();
  });
});

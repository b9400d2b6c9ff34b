import { describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import {
  LetsTalkError,
  MessageAddedDocument,
  MessagesDocument,
  MessageUpdatedDocument,
  SendMessageDocument,
  StartDirectChatDocument,
  UpdateProfileDocument,
  UploadImageDocument,
  UserDocument,
} from '@letstalk/sdk';
import { jpegWithOrientation, noiseJpeg, pngBomb, svg } from '@letstalk/testing';
import { MAX_UPLOAD_BYTES } from '../../subgraphs/media/src/limits.ts';
import { clientFor, collect, signUp, uniqueName, untilLive, WAIT_MS } from './helpers.ts';

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

  it('a message with an image reaches Bob at once as PROCESSING, then READY with a thumbnail only members can load', async () => {
    const [alice, bob, mallory] = await Promise.all(
      ['Alice', 'Bob', 'Mallory'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
    const added = collect(bob!.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    const updated = collect(bob!.client.subscribe(MessageUpdatedDocument, { chatId: chat.id }));
    await untilLive(bob!.client, alice!, chat.id);

    // 16 megapixels: the worker takes far longer than the send, so the message goes out PROCESSING.
    const photo = new File([new Uint8Array(await noiseJpeg(4000, 80))], 'photo.jpg', { type: 'image/jpeg' });
    const { uploadImage } = await alice!.client.upload(UploadImageDocument, { file: photo, purpose: 'MESSAGE' });
    await alice!.client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), text: 'look', imageId: uploadImage.id },
    });
    await added.until(() => added.data().length === 1, 'the message');
    expect(added.data()[0]!.messageAdded.image).toMatchObject({
      id: uploadImage.id,
      status: 'PROCESSING',
      thumbnail: null,
    });

    await updated.until(
      () => updated.data().some((data) => data.messageUpdated.image?.status === 'READY'),
      'the image to be ready',
    );
    const ready = updated.data().find((data) => data.messageUpdated.image?.status === 'READY')!.messageUpdated;
    expect(ready).toMatchObject({ text: 'look', image: { id: uploadImage.id, width: 4000, height: 4000 } });
    const thumbnailUrl = ready.image!.thumbnail!;
    expect(thumbnailUrl.startsWith(`${inject('gatewayUrl').replace(/\/graphql$/, '')}/media/`)).toBe(true);
    const thumbnail = await fetch(thumbnailUrl);
    expect([
      thumbnail.status,
      thumbnail.headers.get('content-type'),
      thumbnail.headers.get('x-content-type-options'),
    ]).toEqual([200, 'image/webp', 'nosniff']);
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 512,
      height: 512,
    });

    // Mallory is not in the chat: the message (and so the URL) is never hers, and a forged URL is refused.
    expect(await failure(mallory!.client.request(MessagesDocument, { chatId: chat.id, last: 10 }))).toBe('NOT_FOUND');
    expect(
      await failure(
        mallory!.client.request(SendMessageDocument, {
          input: { chatId: chat.id, clientMessageId: randomUUID(), imageId: uploadImage.id },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect((await fetch(thumbnailUrl.replace(/signature=[\w-]{4}/, 'signature=AAAA'))).status).toBe(403);
    await Promise.all([added.stop(), updated.stop()]);
    await Promise.all([alice!, bob!, mallory!].map((person) => person.client.dispose()));
  });

  it('an avatar the person uploaded becomes their picture, READY for everyone signed in', async () => {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const portrait = new File([new Uint8Array(await jpegWithOrientation())], 'me.jpg', { type: 'image/jpeg' });
    const { uploadImage } = await alice!.client.upload(UploadImageDocument, { file: portrait, purpose: 'AVATAR' });
    const { updateProfile } = await alice!.client.request(UpdateProfileDocument, {
      input: { avatarImageId: uploadImage.id },
    });
    expect(updateProfile.avatar?.id).toBe(uploadImage.id);
    const deadline = Date.now() + WAIT_MS;
    let seen = (await bob!.client.request(UserDocument, { id: alice!.userId })).user;
    while (seen?.avatar?.status !== 'READY') {
      if (Date.now() > deadline) throw new Error(`the avatar never became READY: ${JSON.stringify(seen?.avatar)}`);
      await new Promise((wait) => setTimeout(wait, 100));
      seen = (await bob!.client.request(UserDocument, { id: alice!.userId })).user;
    }
    expect(seen.avatar).toMatchObject({ width: 40, height: 60 });
    const thumbnail = await fetch(seen.avatar.thumbnail!);
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 40,
      height: 60,
    });
    // A new picture replaces it, and the old one is deleted: its URL stops working.
    const { uploadImage: next } = await alice!.client.upload(UploadImageDocument, {
      file: new File([new Uint8Array(await noiseJpeg(64))], 'new.jpg'),
      purpose: 'AVATAR',
    });
    await alice!.client.request(UpdateProfileDocument, { input: { avatarImageId: next.id } });
    const gone = Date.now() + WAIT_MS;
    while ((await fetch(seen.avatar.thumbnail!)).status !== 404) {
      if (Date.now() > gone) throw new Error('the replaced picture is still served');
      await new Promise((wait) => setTimeout(wait, 100));
    }
    // A picture uploaded for a message is not an avatar.
    const { uploadImage: other } = await alice!.client.upload(UploadImageDocument, {
      file: portrait,
      purpose: 'MESSAGE',
    });
    expect(await failure(alice!.client.request(UpdateProfileDocument, { input: { avatarImageId: other.id } }))).toBe(
      'NOT_FOUND',
    );
    await Promise.all([alice!, bob!].map((person) => person.client.dispose()));
  });

  it('refuses what is not an image, a bomb, an oversized file, a signed-out uploader and a cross-site post', async () => {
    const mallory = await signUp({ firstName: 'Mallory', lastName: uniqueName() });
    const upload = (bytes: Buffer, name: string) =>
      mallory.client.upload(UploadImageDocument, { file: new File([new Uint8Array(bytes)], name), purpose: 'MESSAGE' });
    expect(await failure(upload(svg(), 'image.png'))).toBe('BAD_USER_INPUT');
    expect(await failure(upload(pngBomb(), 'bomb.png'))).toBe('PAYLOAD_TOO_LARGE');
    expect(await failure(upload(Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0xff), 'big.jpg'))).toBe('PAYLOAD_TOO_LARGE');
    const anonymous = clientFor();
    expect(
      await failure(
        anonymous.upload(UploadImageDocument, {
          file: new File([await jpegWithOrientation()], 'a.jpg'),
          purpose: 'MESSAGE',
        }),
      ),
    ).toBe('UNAUTHENTICATED');

    // A form any web page could post (no preflight header): Apollo's CSRF prevention refuses it.
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation($file: Upload!) { uploadImage(file: $file) { id } }',
        variables: { file: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([await jpegWithOrientation()]), 'a.jpg');
    const crossSite = await fetch(inject('gatewayUrl'), {
      method: 'POST',
      headers: { authorization: `Bearer ${mallory.accessToken}` },
      body: form,
    });
    expect(crossSite.status).toBe(400);
    expect(JSON.stringify(await crossSite.json())).toMatch(/preflight/i);
    await mallory.client.dispose();
  });
});

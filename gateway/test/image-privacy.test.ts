import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CreateGroupChatDocument,
  DeleteMessageDocument,
  LetsTalkError,
  SendMessageDocument,
  SetChatPhotoDocument,
  StartDirectChatDocument,
  UpdateProfileDocument,
  UploadImageDocument,
} from '@letstalk/sdk';
import { jpegWithLocation, noiseJpeg } from '@letstalk/testing';
import {
  MAX_UPLOAD_BYTES,
  UPLOAD_BYTES_PER_USER_PER_DAY,
  UPLOADS_PER_USER_PER_MINUTE,
} from '../../subgraphs/media/src/limits.ts';
import { signUp, uniqueName, WAIT_MS, type Person } from './helpers.ts';

/** Every variant's URL of an image, as a client asks for them. */
interface ImageUrls {
  status: string;
  thumbnail: string | null;
  display: string | null;
  original: string | null;
}
const URLS =
  'status thumbnail: url(variant: THUMBNAIL) display: url(variant: DISPLAY) original: url(variant: ORIGINAL)';
const MessageImages = parse(
  `query ($id: ID!) { message(id: $id) { image { ${URLS} } linkPreview { status image { ${URLS} } } } }`,
) as TypedDocumentNode<
  { message: { image: ImageUrls | null; linkPreview: { status: string; image: ImageUrls | null } | null } },
  { id: string }
>;
const Avatar = parse(`query ($id: ID!) { user(id: $id) { avatar { ${URLS} } } }`) as TypedDocumentNode<
  { user: { avatar: ImageUrls | null } | null },
  { id: string }
>;
const ChatPhoto = parse(`query ($id: ID!) { chat(id: $id) { photo { ${URLS} } } }`) as TypedDocumentNode<
  { chat: { photo: ImageUrls | null } },
  { id: string }
>;

/** Asks until the image is READY; its three URLs. */
async function readyUrls(
  what: string,
  load: () => Promise<ImageUrls | null | undefined>,
): Promise<Record<'original' | 'display' | 'thumbnail', string>> {
  const deadline = Date.now() + WAIT_MS;
  let image = await load();
  while (image?.status !== 'READY') {
    if (Date.now() > deadline) throw new Error(`${what} never became READY: ${JSON.stringify(image)}`);
    await new Promise((wait) => setTimeout(wait, 100));
    image = await load();
  }
  return { original: image.original!, display: image.display!, thumbnail: image.thumbnail! };
}

/**
 * What a downloader gets of a {@link jpegWithLocation} photo: no EXIF, XMP or IPTC (no GPS anywhere in the
 * bytes), the colour profile kept, and the orientation applied to the pixels (40 × 60, blue edge on top).
 */
async function expectClean(url: string, what: string, profile: Buffer) {
  const response = await fetch(url);
  expect(response.status, what).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const metadata = await sharp(bytes).metadata();
  const carries = {
    exif: metadata.exif !== undefined,
    xmp: metadata.xmp !== undefined,
    iptc: metadata.iptc !== undefined,
  };
  expect({ what, ...carries, orientation: metadata.orientation ?? 1 }).toEqual({
    what,
    exif: false,
    xmp: false,
    iptc: false,
    orientation: 1,
  });
  for (const trace of ['GPS', 'Paris', 'Phone'])
    expect(bytes.includes(trace), `${what} has no "${trace}" in its bytes`).toBe(false);
  expect(metadata.icc && Buffer.from(metadata.icc).equals(profile), `${what} keeps the colour profile`).toBe(true);
  expect([metadata.width, metadata.height], what).toEqual([40, 60]);
  const { data } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [red, green, blue] = data;
  expect(
    blue! > 150 && red! < 100 && green! < 100,
    `${what} is upright (blue on top, got ${[red, green, blue].join(',')})`,
  ).toBe(true);
}

const expectAllClean = async (urls: Record<string, string>, what: string, profile: Buffer) => {
  for (const [variant, url] of Object.entries(urls)) await expectClean(url, `${what} ${variant}`, profile);
};

const uploadBytes = (person: Person, bytes: Buffer, purpose: 'MESSAGE' | 'AVATAR' | 'CHAT_PHOTO' = 'MESSAGE') =>
  person.client.upload(UploadImageDocument, {
    file: new File([new Uint8Array(bytes)], 'photo.jpg', { type: 'image/jpeg' }),
    purpose,
  });

/** A site whose page's `og:image` is a photo with its location in it; on 127.0.0.1, which the stack may fetch. */
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const photo = await jpegWithLocation();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    if (url.pathname === '/photo.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    const image = `http://${req.headers.host ?? ''}/photo.jpg${url.search}`;
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html><head><title>Holiday</title><meta property="og:title" content="Holiday"><meta property="og:image" content="${image}"></head><body></body></html>`,
      );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  site = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
});
afterAll(async () => {
  await site?.close();
});

describe('images carry nothing their uploader did not mean to share', () => {
  it('every variant of a message image, an avatar, a group photo and a link preview image has no EXIF, XMP or IPTC, keeps its colour profile and is upright', async () => {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const photo = await jpegWithLocation();
    const profile = (await sharp(photo).metadata()).icc!;
    const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });

    // In a message: Bob, a member, loads every variant.
    const { uploadImage: attached } = await uploadBytes(alice!, photo);
    const { sendMessage: sent } = await alice!.client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), imageId: attached.id },
    });
    await expectAllClean(
      await readyUrls(
        'the message image',
        async () => (await bob!.client.request(MessageImages, { id: sent.id })).message.image,
      ),
      'message image',
      profile,
    );

    // A profile picture: every signed-in person may load it.
    const { uploadImage: avatar } = await uploadBytes(alice!, photo, 'AVATAR');
    await alice!.client.request(UpdateProfileDocument, { input: { avatarImageId: avatar.id } });
    await expectAllClean(
      await readyUrls(
        'the avatar',
        async () => (await bob!.client.request(Avatar, { id: alice!.userId })).user?.avatar,
      ),
      'avatar',
      profile,
    );

    // A group's photo.
    const { createGroupChat: group } = await alice!.client.request(CreateGroupChatDocument, {
      name: uniqueName('Trip'),
      memberIds: [bob!.userId],
    });
    const { uploadImage: groupPhoto } = await uploadBytes(alice!, photo, 'CHAT_PHOTO');
    await alice!.client.request(SetChatPhotoDocument, { chatId: group.id, imageId: groupPhoto.id });
    await expectAllClean(
      await readyUrls(
        'the group photo',
        async () => (await bob!.client.request(ChatPhoto, { id: group.id })).chat.photo,
      ),
      'group photo',
      profile,
    );

    // A link's preview image: the server's copy of the page's og:image.
    const link = `${site.url}/holiday?${randomUUID()}`;
    const { sendMessage: linked } = await alice!.client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), text: `Look: ${link}` },
    });
    await expectAllClean(
      await readyUrls(
        'the preview image',
        async () => (await bob!.client.request(MessageImages, { id: linked.id })).message.linkPreview?.image,
      ),
      'link preview image',
      profile,
    );
    await Promise.all([alice!.client.dispose(), bob!.client.dispose()]);
  });
});

describe('upload quota', () => {
  it('past the bytes a person may upload a day, an upload is RATE_LIMITED before it is stored, with a clear message', async () => {
    // The stack under test allows less than UPLOAD_BYTES_PER_USER_PER_DAY, so the test moves tens of MiB, not hundreds.
    const perDay = Number(inject('stackEnv').MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY ?? UPLOAD_BYTES_PER_USER_PER_DAY);
    // The day's quota is reached within the per-minute limit on uploads.
    expect(Math.ceil(perDay / MAX_UPLOAD_BYTES)).toBeLessThan(UPLOADS_PER_USER_PER_MINUTE);
    const eager = await signUp({ firstName: 'Eager', lastName: uniqueName() });
    // The largest file allowed: a small picture and padding after its end (still a valid JPEG).
    const picture = await noiseJpeg(32);
    const largest = Buffer.concat([picture, Buffer.alloc(MAX_UPLOAD_BYTES - picture.length)]);
    let uploaded = 0;
    while (uploaded + largest.length <= perDay) {
      const { uploadImage } = await uploadBytes(eager, largest);
      expect(uploadImage.status).toBe('PROCESSING');
      uploaded += largest.length;
    }
    // The next one would take the day past its quota: refused, and so is anything past what is left.
    const refused = await uploadBytes(eager, largest).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(LetsTalkError);
    const error = refused as LetsTalkError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toMatch(/MiB/);
    expect(JSON.stringify(error)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    const left = perDay - uploaded;
    if (left < picture.length) {
      const small = await uploadBytes(eager, picture).then(
        () => 'stored',
        (failure: unknown) => (failure instanceof LetsTalkError ? failure.code : String(failure)),
      );
      expect(small).toBe('RATE_LIMITED');
    }
    await eager.client.dispose();
  }, 120_000);
});

describe('images of deleted messages', () => {
  it('an image stops being served once the last message showing it is deleted', async () => {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
    const [{ uploadImage }, { uploadImage: other }] = [
      await uploadBytes(alice!, await noiseJpeg(96)),
      await uploadBytes(alice!, await noiseJpeg(64)),
    ];
    const send = async (imageId: string) =>
      (
        await alice!.client.request(SendMessageDocument, {
          input: { chatId: chat.id, clientMessageId: randomUUID(), text: 'look', imageId },
        })
      ).sendMessage;
    // The same picture sent twice: it is kept while one message still shows it.
    const [first, second, third] = [await send(uploadImage.id), await send(uploadImage.id), await send(other.id)];
    const urlsOf = (id: string) =>
      readyUrls('the message image', async () => (await bob!.client.request(MessageImages, { id })).message.image);
    const [urls, otherUrls] = [await urlsOf(first.id), await urlsOf(third.id)];
    const statusesOf = async (of: Record<string, string>) =>
      Promise.all(Object.values(of).map(async (url) => (await fetch(url)).status));
    const gone = async (of: Record<string, string>) => {
      await expect
        .poll(async () => (await statusesOf(of)).every((status) => status === 404 || status === 410), {
          timeout: WAIT_MS,
          interval: 100,
        })
        .toBe(true);
    };
    expect(await statusesOf(urls)).toEqual([200, 200, 200]);

    await alice!.client.request(DeleteMessageDocument, { messageId: first.id });
    // A later deletion, of the only message with another image: once that image is gone, the first
    // deletion has been acted on too, and the picture the second message still shows must be there.
    await alice!.client.request(DeleteMessageDocument, { messageId: third.id });
    await gone(otherUrls);
    expect(await statusesOf(urls)).toEqual([200, 200, 200]);

    await alice!.client.request(DeleteMessageDocument, { messageId: second.id });
    await gone(urls);
    // A released image cannot be attached again, even by its uploader.
    const again = await send(uploadImage.id).then(
      () => 'sent',
      (error: unknown) => (error instanceof LetsTalkError ? error.code : String(error)),
    );
    expect(again).toBe('NOT_FOUND');
    await Promise.all([alice!.client.dispose(), bob!.client.dispose()]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  IMAGE_URL_TTL_SECONDS,
  signedExportUrl,
  signedFileUrl,
  signedImageUrl,
  verifyExportRequest,
  verifyFileRequest,
  verifyImageRequest,
} from './signed-url.ts';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const imageId = '2b1c2b1e-7d2f-4c8e-9a59-3f1d8c0f9e11';

function check(url: string, options: { secret?: string; now?: number } = {}) {
  const parsed = new URL(url);
  return verifyImageRequest({
    secret: options.secret ?? secret,
    path: parsed.pathname,
    query: parsed.searchParams,
    ...(options.now ? { now: options.now } : {}),
  });
}

describe('signed image URLs', () => {
  const now = Date.UTC(2026, 10, 24, 12, 30);
  const url = signedImageUrl({ origin: 'https://chat.example/', secret, imageId, variant: 'THUMBNAIL', now });

  it('point at the gateway origin and verify for the variant they name', () => {
    expect(url).toMatch(
      new RegExp(`^https://chat\\.example/media/${imageId}/thumbnail\\?expires=\\d+&signature=[\\w-]+$`),
    );
    expect(check(url, { now })).toMatchObject({ imageId, variant: 'THUMBNAIL' });
  });

  it('are the same for everyone within one window, and valid for at least the TTL', () => {
    expect(
      signedImageUrl({ origin: 'https://chat.example', secret, imageId, variant: 'THUMBNAIL', now: now + 60_000 }),
    ).toBe(url);
    expect(check(url, { now: now + IMAGE_URL_TTL_SECONDS * 1000 })).toBeDefined();
    expect(check(url, { now: now + 2 * IMAGE_URL_TTL_SECONDS * 1000 })).toBeUndefined();
  });

  it('refuse another secret, variant, image, expiry or signature', () => {
    expect(check(url, { secret: `${secret}x`, now })).toBeUndefined();
    expect(check(url.replace('/thumbnail?', '/original?'), { now })).toBeUndefined();
    expect(check(url.replace(imageId, imageId.replace(/1$/, '2')), { now })).toBeUndefined();
    expect(
      check(
        url.replace(/expires=(\d+)/, (_, value: string) => `expires=${Number(value) + 3600}`),
        { now },
      ),
    ).toBeUndefined();
    expect(check(url.replace(/signature=[\w-]+/, 'signature=abc'), { now })).toBeUndefined();
    expect(check(url.replace(/&signature=[\w-]+/, ''), { now })).toBeUndefined();
  });
});

describe('signed file URLs', () => {
  const now = Date.UTC(2026, 10, 30, 9, 0);
  const fileId = imageId;
  const url = signedFileUrl({ origin: 'https://chat.example', secret, fileId, now });
  const checkFile = (target: string, at = now) => {
    const parsed = new URL(target);
    return verifyFileRequest({ secret, path: parsed.pathname, query: parsed.searchParams, now: at });
  };

  it('point at /files on the gateway origin and verify for their file', () => {
    expect(url).toMatch(new RegExp(`^https://chat\\.example/files/${fileId}\\?expires=\\d+&signature=[\\w-]+$`));
    expect(checkFile(url)).toMatchObject({ fileId });
    expect(checkFile(url, now + 2 * IMAGE_URL_TTL_SECONDS * 1000)).toBeUndefined();
    expect(checkFile(url.replace(fileId, fileId.replace(/1$/, '2')))).toBeUndefined();
  });

  it('are never an image URL, nor an image URL a file URL', () => {
    const image = signedImageUrl({ origin: 'https://chat.example', secret, imageId, variant: 'ORIGINAL', now });
    const query = new URL(image).search;
    expect(checkFile(`https://chat.example/files/${imageId}${query}`)).toBeUndefined();
    expect(check(`https://chat.example/media/${fileId}/original${new URL(url).search}`, { now })).toBeUndefined();
  });
});

describe('signed archive URLs', () => {
  const now = Date.UTC(2026, 10, 30, 9, 0);
  const exportId = imageId;
  const url = signedExportUrl({ origin: 'https://chat.example', secret, exportId, now });
  const verify = (target: string, verifier: typeof verifyExportRequest | typeof verifyFileRequest) => {
    const parsed = new URL(target);
    return verifier({ secret, path: parsed.pathname, query: parsed.searchParams, now });
  };

  it('point at /exports on the gateway origin and verify for their archive only', () => {
    expect(url).toMatch(new RegExp(`^https://chat\\.example/exports/${exportId}\\?expires=\\d+&signature=[\\w-]+$`));
    expect(verify(url, verifyExportRequest)).toMatchObject({ exportId });
    expect(verify(url.replace(exportId, exportId.replace(/1$/, '2')), verifyExportRequest)).toBeUndefined();
  });

  it("are never a file's URL, nor a file's URL an archive's", () => {
    const file = signedFileUrl({ origin: 'https://chat.example', secret, fileId: exportId, now });
    expect(verify(file.replace('/files/', '/exports/'), verifyExportRequest)).toBeUndefined();
    expect(verify(url.replace('/exports/', '/files/'), verifyFileRequest)).toBeUndefined();
  });
});

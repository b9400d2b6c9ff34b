import { describe, expect, it } from 'vitest';
import { loadMediaEnv } from '../env.ts';
import { createStorage } from './create-storage.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';

describe('createStorage', () => {
  it('keeps files on local disk by default, and in the S3 bucket when asked', () => {
    expect(createStorage(loadMediaEnv({ NODE_ENV: 'test' }))).toBeInstanceOf(LocalStorage);
    const s3 = createStorage(
      loadMediaEnv({
        NODE_ENV: 'test',
        MEDIA_STORAGE: 's3',
        S3_BUCKET: 'media',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
      }),
    );
    expect(s3).toBeInstanceOf(S3Storage);
    s3.close?.();
  });
});

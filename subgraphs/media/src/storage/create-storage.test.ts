import { describe, expect, it } from 'vitest';
import { ConfigError } from '@letstalk/config';
import { loadMediaEnv } from '../env.ts';
import { createStorage } from './create-storage.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';

describe('createStorage', () => {
  it('keeps files on local disk by default', () => {
    expect(createStorage(loadMediaEnv({}))).toBeInstanceOf(LocalStorage);
  });

  it('uses S3 when asked, and names every missing S3 setting at once', () => {
    expect(() => createStorage(loadMediaEnv({ MEDIA_STORAGE: 's3' }))).toThrow(ConfigError);
    expect(() => createStorage(loadMediaEnv({ MEDIA_STORAGE: 's3', S3_BUCKET: 'media' }))).toThrow(
      /S3_ACCESS_KEY_ID.*\n.*S3_SECRET_ACCESS_KEY/,
    );
    const s3 = createStorage(
      loadMediaEnv({
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

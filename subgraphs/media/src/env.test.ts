import { describe, expect, it } from 'vitest';
import { ConfigError } from '@letstalk/config';
import { loadMediaEnv, loadMediaWorkerEnv } from './env.ts';

const issuesOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
};

describe('media configuration', () => {
  it('runs as production when NODE_ENV is unset, and names every variable production needs at once', () => {
    expect(issuesOf(() => loadMediaEnv({}))).toEqual([
      'DATABASE_URL: required in production (mysql://user:password@host:3306)',
      expect.stringMatching(/^MEDIA_URL_SECRET: required in production/),
      expect.stringMatching(/^MEDIA_PUBLIC_URL: required in production/),
    ]);
    expect(issuesOf(() => loadMediaEnv({ NODE_ENV: 'development' }))).toEqual([]);
  });

  it('asks the image worker only for what it uses (it signs no URLs)', () => {
    expect(issuesOf(() => loadMediaWorkerEnv({}))).toEqual([
      'DATABASE_URL: required in production (mysql://user:password@host:3306)',
    ]);
    expect(loadMediaWorkerEnv({ DATABASE_URL: 'mysql://letstalk:secret@db:3306' })).toMatchObject({
      NODE_ENV: 'production',
      MEDIA_WORKER_PORT: 4013,
    });
  });

  it('names every missing S3 setting at once, in both processes', () => {
    for (const load of [loadMediaEnv, loadMediaWorkerEnv]) {
      expect(issuesOf(() => load({ NODE_ENV: 'test', MEDIA_STORAGE: 's3', S3_BUCKET: 'media' }))).toEqual([
        'S3_ACCESS_KEY_ID: required when MEDIA_STORAGE=s3',
        'S3_SECRET_ACCESS_KEY: required when MEDIA_STORAGE=s3',
      ]);
    }
  });
});

// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ambient module must reach every workspace that compiles this file, and only a reference carries it
/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The credentials the fake S3 server accepts (s3rver's fixed pair). */
const FAKE_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 with one bucket, its files in a temporary directory:
 * the stand-in for an operator's object store.
 */
export async function startFakeS3(bucket = 'letstalk-media') {
  const directory = await mkdtemp(join(tmpdir(), 'letstalk-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    ...FAKE_S3_CREDENTIALS,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, createPool } from '@letstalk/db';
import { createLogger } from '@letstalk/log';
import { startFakeTokenIssuer, localServices } from '@letstalk/testing';
import type { MediaDb } from '../src/data/tables.ts';
import { tables } from '../src/data/tables.ts';
import { loadMediaEnv, loadMediaWorkerEnv } from '../src/env.ts';
import { LocalStorage } from '../src/storage/local-storage.ts';
import type { Storage } from '../src/storage/storage.ts';
import { startMediaService } from '../src/service.ts';

export interface Result<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; extensions?: Record<string, unknown> & { code?: string } }[];
  code?: string;
}

/** The media subgraph started in-process against the real MariaDB and NATS, its files in a temporary directory. */
export async function startMediaHarness(extraEnv: Record<string, string> = {}) {
  const issuer = await startFakeTokenIssuer();
  const mediaDir = await mkdtemp(join(tmpdir(), 'letstalk-media-'));
  const variables = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MEDIA_PORT: '0',
    MEDIA_DIR: mediaDir,
    // Not the end-to-end stack's database: its worker keeps files elsewhere.
    MEDIA_DATABASE: 'letstalk_media_test',
    MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
    DATABASE_URL: localServices().databaseUrl,
    NATS_URL: localServices().natsUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    ...extraEnv,
  };
  const env = loadMediaEnv(variables);
  const service = await startMediaService(env, createLogger({ service: 'media', level: 'silent', pretty: false }));
  // The test's own view of the subgraph's database and files, to arrange and check what the service did.
  const pool = createPool(env.DATABASE_URL, env.MEDIA_DATABASE);
  const db: MediaDb = createDatabase(pool, tables);
  const storage: Storage = new LocalStorage(mediaDir);

  const parse = async <Data>(response: Response): Promise<Result<Data>> => {
    const body = (await response.json()) as Result<Data>;
    return { ...body, status: response.status, code: body.errors?.[0]?.extensions?.code };
  };

  /** A GraphQL multipart request (the spec's operations, map, files), one part per file, all for `variables.file`. */
  async function multipart<Data>(
    token: string | undefined,
    operation: { query: string; variables: Record<string, unknown> },
    files: { bytes: Buffer; name: string; type?: string }[],
    headers: Record<string, string> = {},
  ): Promise<Result<Data>> {
    const form = new FormData();
    form.append('operations', JSON.stringify({ ...operation, variables: { ...operation.variables, file: null } }));
    form.append(
      'map',
      JSON.stringify(Object.fromEntries(files.map((_, index) => [String(index), ['variables.file']]))),
    );
    files.forEach((file, index) =>
      form.append(String(index), new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name),
    );
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'apollo-require-preflight': 'true',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: form,
    });
    return parse<Data>(response);
  }

  /** `uploadImage` as a GraphQL multipart request. */
  function upload<Data = Record<string, any>>(
    token: string | undefined,
    files: { bytes: Buffer; name: string; type?: string }[],
    options: { purpose?: string; headers?: Record<string, string>; selection?: string } = {},
  ): Promise<Result<Data>> {
    const query = `mutation($file: Upload!, $purpose: ImagePurpose!) { uploadImage(file: $file, purpose: $purpose) { ${options.selection ?? 'id status width height'} } }`;
    return multipart<Data>(
      token,
      { query, variables: { purpose: options.purpose ?? 'MESSAGE' } },
      files,
      options.headers,
    );
  }

  /** `uploadFile` as a GraphQL multipart request. */
  function uploadFile<Data = Record<string, any>>(
    token: string | undefined,
    file: { bytes: Buffer; name: string; type?: string },
    selection = 'id name size contentType url',
  ): Promise<Result<Data>> {
    const query = `mutation($file: Upload!) { uploadFile(file: $file) { ${selection} } }`;
    return multipart<Data>(token, { query, variables: {} }, [file]);
  }

  return {
    env,
    /** The image worker's configuration beside this subgraph (same database, files and NATS), on a free port. */
    workerEnv: () => loadMediaWorkerEnv({ ...variables, MEDIA_WORKER_PORT: '0' }),
    service,
    mediaDir,
    db,
    storage,
    upload,
    uploadFile,
    /** A made-up person with an access token (the media subgraph needs no account events). */
    person: async () => {
      const id = randomUUID();
      return { id, token: await issuer.tokenFor(id) };
    },
    close: async () => {
      await pool.end();
      await service.stop();
      await issuer.close();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

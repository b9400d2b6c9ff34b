import { Readable } from 'node:stream';
import { Upload } from 'graphql-upload-minimal';
import { describe, expect, it } from 'vitest';
import { findUploads, MAX_UPLOAD_BYTES, multipartRequest } from './upload-forwarding.ts';

function uploadOf(filename: string, chunks: Buffer[]): Upload {
  const upload = new Upload();
  (upload as Upload & { resolve: (file: unknown) => void }).resolve({
    filename,
    mimetype: 'image/png',
    encoding: '7bit',
    createReadStream: () => Readable.from(chunks),
  });
  return upload;
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as string | Buffer));
  return Buffer.concat(chunks).toString('latin1');
}

describe('forwarding uploads to a subgraph', () => {
  it('finds the files among the variables', () => {
    const file = uploadOf('a.png', []);
    expect(findUploads({ input: { file, text: 'x' }, list: [1, file] }).map((entry) => entry.path)).toEqual([
      'variables.input.file',
      'variables.list.1',
    ]);
    expect(findUploads({ text: 'no files' })).toEqual([]);
  });

  it('streams a multipart request: operations with nulls for files, the map, then each file', async () => {
    const multipart = multipartRequest({
      query: 'mutation($file: Upload!) { uploadImage(file: $file) { id } }',
      variables: { file: uploadOf('evil"\r\nname.png', [Buffer.from('PNGDATA')]) },
    });
    const boundary = /boundary=(.+)$/.exec(multipart.contentType)?.[1];
    const body = await text(multipart.body);
    expect(body).toContain('"variables":{"file":null}');
    expect(body).toContain('{"0":["variables.file"]}');
    expect(body).toContain('filename="evil___name.png"');
    expect(body).toContain('\r\n\r\nPNGDATA\r\n');
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it('fails with PAYLOAD_TOO_LARGE rather than send a file over the limit', async () => {
    const big = [Buffer.alloc(MAX_UPLOAD_BYTES), Buffer.alloc(1)];
    const multipart = multipartRequest({
      query: 'mutation($file: Upload!) { uploadImage(file: $file) { id } }',
      variables: { file: uploadOf('big.png', big) },
    });
    await expect(text(multipart.body)).rejects.toThrow();
    expect((multipart.failure() as { extensions?: { code?: string } }).extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { checkKey, type ByteRange, type Storage, type StoredObject } from './storage.ts';

export interface S3StorageOptions {
  bucket: string;
  /** Any S3-compatible endpoint (MinIO, Ceph, R2...); unset for AWS itself. */
  endpoint?: string | undefined;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the path rather than the host name, as most S3-compatible servers want. */
  forcePathStyle: boolean;
  /** Prefix of every key in the bucket. */
  prefix?: string;
  /** Bytes of one part of a multipart upload, and the size past which a file is sent in parts; tests lower it. */
  partBytes?: number;
}

/**
 * Bytes of one part of a multipart upload by default (S3 takes parts of 5 MiB to 5 GiB, at most 10,000 of them:
 * files to 640 GiB).
 */
const MULTIPART_PART_BYTES = 64 * 1024 * 1024;

const missing = (error: unknown) =>
  error instanceof NotFound ||
  error instanceof NoSuchKey ||
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

/** Files in an S3 bucket, through the AWS SDK, so that several media instances share them. */
export class S3Storage implements Storage {
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // The SDK's default (since 3.729) sends streamed bodies aws-chunked with a checksum trailer, which
      // many S3-compatible servers store verbatim; checksums only where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (options.endpoint) config.endpoint = options.endpoint;
    this.client = new S3Client(config);
  }

  private keyOf(key: string): string {
    return `${this.options.prefix ?? ''}${checkKey(key)}`;
  }

  /**
   * One PutObject for a file that fits in a part, else a multipart upload (lib-storage's Upload), since one
   * PutObject takes at most 5 GiB and a data export's archive can be larger.
   */
  async putFile(key: string, path: string, contentType: string): Promise<void> {
    if (await this.head(key)) return;
    const { size } = await stat(path);
    const partSize = this.options.partBytes ?? MULTIPART_PART_BYTES;
    if (size <= partSize) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.keyOf(key),
          Body: createReadStream(path),
          ContentLength: size,
          ContentType: contentType,
        }),
      );
      return;
    }
    await new Upload({
      client: this.client,
      params: {
        Bucket: this.options.bucket,
        Key: this.keyOf(key),
        Body: createReadStream(path),
        ContentType: contentType,
      },
      partSize,
      queueSize: 2,
    }).done();
  }

  async putBytes(key: string, bytes: Buffer, contentType: string): Promise<void> {
    if (await this.head(key)) return;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.keyOf(key),
        Body: bytes,
        ContentType: contentType,
      }),
    );
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const object = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }),
      );
      return { size: object.ContentLength ?? 0, contentType: object.ContentType };
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: this.keyOf(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
  }

  close(): void {
    this.client.destroy();
  }
}

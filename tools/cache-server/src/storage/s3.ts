// Entries as S3 objects <prefix><hash>, on AWS or any S3-compatible store
// (MinIO, Ceph, R2, moto…) through `endpoint` + path-style addressing.
// PutObject is atomic, and `If-None-Match: *` makes it no-replace: a second
// upload of a hash gets 412 and becomes 'exists'. Stores without conditional
// writes can turn that off; the HEAD before each upload still keeps entries
// from being replaced except in a race.
import type { S3Client } from '@aws-sdk/client-s3';
import type { PutResult, Storage } from './storage';

export interface S3StorageOptions {
  bucket: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  conditionalWrites?: boolean;
  /** Per HTTP request, so the SDK gives up on a dead or silent endpoint. */
  requestTimeoutMs: number;
}

type S3Module = typeof import('@aws-sdk/client-s3');

export class S3Storage implements Storage {
  readonly kind = 's3';

  private constructor(
    private readonly sdk: S3Module,
    private readonly client: S3Client,
    private readonly options: S3StorageOptions,
  ) {}

  static async create(options: S3StorageOptions): Promise<S3Storage> {
    // Loaded only for this backend: a filesystem deployment needs no SDK.
    const sdk: S3Module = await import('@aws-sdk/client-s3');
    const client = new sdk.S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      maxAttempts: 2,
      requestHandler: { connectionTimeout: Math.min(options.requestTimeoutMs, 5000), requestTimeout: options.requestTimeoutMs },
    });
    return new S3Storage(sdk, client, options);
  }

  key(hash: string): string {
    return `${this.options.prefix ?? ''}${hash}`;
  }

  async get(hash: string, signal: AbortSignal): Promise<Buffer | null> {
    try {
      const out = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(hash) }), { abortSignal: signal });
      if (!out.Body) return null;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async has(hash: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(hash) }), { abortSignal: signal });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async put(hash: string, body: Buffer, signal: AbortSignal): Promise<PutResult> {
    try {
      await this.client.send(
        new this.sdk.PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(hash),
          Body: body,
          ContentLength: body.length,
          ContentType: 'application/octet-stream',
          ...(this.options.conditionalWrites === false ? {} : { IfNoneMatch: '*' }),
        }),
        { abortSignal: signal },
      );
      return 'stored';
    } catch (error) {
      if (status(error) === 412 || status(error) === 409) return 'exists';
      throw error;
    }
  }

  async probe(signal: AbortSignal): Promise<void> {
    await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.options.bucket }), { abortSignal: signal });
  }
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || status(error) === 404;
}

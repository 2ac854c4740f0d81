import { PassThrough, type Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { PgmyError } from '../../errors.js';
import type { RemoteChunk, RemoteStore, S3Settings } from '../store.js';
import { isCutOff, isNotFound, isNotImplemented, s3Error } from './s3-errors.js';
import { uploadChunk } from './s3-upload.js';

// The SDK is pinned to a release that supports Node 20; its notice about later releases is not this run's concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const sdk = await import('@aws-sdk/client-s3');

/** `s3://bucket/prefix` as bucket and key prefix (no slash at either end). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m || !m[1]) throw new PgmyError('usage', `${url} is not an S3 location.`, { hint: 'Write it as s3://BUCKET/PREFIX.' });
  return { bucket: m[1], prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export async function s3Store(url: string, settings: S3Settings): Promise<RemoteStore> {
  const { bucket, prefix } = parseS3Url(url);
  // As the AWS CLI: an endpoint given, else the service's variable, else the general one, else AWS S3 itself.
  const endpoint = settings.endpoint ?? process.env['AWS_ENDPOINT_URL_S3'] ?? process.env['AWS_ENDPOINT_URL'];
  const client = new sdk.S3Client({
    ...(endpoint ? {
      endpoint, forcePathStyle: true,
      // S3-compatible servers often refuse the checksums newer SDKs add by default; sha256 is pgmy's own check.
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    } : {}),
    ...(endpoint && !process.env['AWS_REGION'] && !process.env['AWS_DEFAULT_REGION'] ? { region: 'us-east-1' } : {}),
  });
  return Promise.resolve(new S3Store(client, url, bucket, prefix));
}

class S3Store implements RemoteStore {
  readonly remote = true;

  constructor(private readonly client: S3Client, readonly location: string, private readonly bucket: string, private readonly prefix: string) {}

  where(name: string): string {
    return `s3://${this.bucket}/${this.key(name)}`;
  }

  private key(name: string): string {
    return this.prefix ? `${this.prefix}/${name}` : name;
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new sdk.HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      throw s3Error(isNotFound(err) ? Object.assign(err as object, { Code: 'NoSuchBucket' }) : err, 'reaching the bucket of', this.location);
    }
  }

  async readText(name: string): Promise<string | undefined> {
    // The SDK retries a request that fails; a body cut off after its headers is retried here.
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
        return await r.Body?.transformToString('utf8');
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (attempt < 4 && isCutOff(err)) {
          await new Promise((r) => setTimeout(r, 200 * attempt));
          continue;
        }
        throw s3Error(err, 'reading', this.where(name));
      }
    }
  }

  async writeWhole(name: string, data: string | readonly Buffer[]): Promise<void> {
    // A PUT is atomic: readers see the old object or the new one, never part of it.
    await this.client.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: this.key(name), Body: typeof data === 'string' ? data : Buffer.concat(data) })).catch((err: unknown) => {
      throw s3Error(err, 'writing', this.where(name));
    });
  }

  async entries(): Promise<string[] | undefined> {
    const base = this.prefix ? `${this.prefix}/` : '';
    const names: string[] = [];
    for await (const page of this.list(base, '/')) {
      for (const c of page.Contents ?? []) if (c.Key) names.push(c.Key.slice(base.length));
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(base.length).replace(/\/$/, ''));
    }
    return names;
  }

  async size(name: string): Promise<number | undefined> {
    try {
      return (await this.client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }))).ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw s3Error(err, 'looking up', this.where(name));
    }
  }

  openRead(name: string): Readable {
    // Bounded: the response is piped with backpressure, never buffered whole.
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    this.client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) })).then((r) => {
      const body = r.Body as Readable | undefined;
      if (!body) return out.end();
      body.on('error', (err) => out.destroy(s3Error(err, 'reading', this.where(name))));
      out.on('close', () => body.destroy());
      body.pipe(out);
    }, (err: unknown) => {
      out.destroy(Object.assign(s3Error(err, 'reading', this.where(name)), isNotFound(err) ? { code: 'ENOENT' } : {}));
    });
    return out;
  }

  async removeFiles(dir: string, prefix: string): Promise<void> {
    const keys: string[] = [];
    for await (const page of this.list(`${this.key(dir)}/${prefix}`)) for (const c of page.Contents ?? []) if (c.Key) keys.push(c.Key);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      await this.client.send(new sdk.DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } })).catch((err: unknown) => {
        throw s3Error(err, 'removing the files of an interrupted run under', `s3://${this.bucket}/${this.key(dir)}/`);
      });
    }
  }

  openChunk(name: string): RemoteChunk {
    return uploadChunk(this.client, this.bucket, this.key(name), this.where(name));
  }

  async abortStaleUploads(): Promise<void> {
    try {
      const listed = await this.client.send(new sdk.ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.prefix ? `${this.prefix}/` : '' }));
      for (const u of listed.Uploads ?? []) {
        if (u.Key && u.UploadId) await this.client.send(new sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }));
      }
    } catch (err) {
      // Some S3-compatible servers cannot list uploads; their parts never become objects, so nothing is read as complete.
      if (!isNotImplemented(err)) throw s3Error(err, 'aborting the unfinished uploads of an interrupted run under', this.location);
    }
  }

  private async *list(prefix: string, delimiter?: string): AsyncGenerator<{ Contents?: Array<{ Key?: string | undefined }> | undefined; CommonPrefixes?: Array<{ Prefix?: string | undefined }> | undefined }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new sdk.ListObjectsV2Command({
        Bucket: this.bucket, Prefix: prefix, ...(delimiter ? { Delimiter: delimiter } : {}), ...(token ? { ContinuationToken: token } : {}),
      })).catch((err: unknown) => {
        throw s3Error(err, 'listing', `s3://${this.bucket}/${prefix}`);
      });
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

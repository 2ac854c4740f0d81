import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { RemoteChunk } from '../store.js';
import { s3Error } from './s3-errors.js';

/** S3's smallest part; with two parts in flight, one chunk's upload holds at most ~15 MiB. */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * One chunk streamed into an object by a multipart upload (one PUT when it is small): the object exists
 * only once the upload completes, so a killed run never leaves a partial chunk under its name.
 */
export function uploadChunk(client: S3Client, bucket: string, key: string, url: string): RemoteChunk {
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body }, partSize: PART_BYTES, queueSize: PARTS_IN_FLIGHT, leavePartsOnError: false });
  const committed = upload.done().then(() => undefined, (err: unknown) => {
    throw s3Error(err, 'uploading', url);
  });
  committed.catch(() => undefined);
  return {
    committed,
    async write(buffers) {
      for (const b of buffers) {
        // Backpressure: wait while the upload holds its parts in flight, or until it has failed.
        if (!body.write(b)) await Promise.race([new Promise((r) => body.once('drain', r)), committed]);
      }
    },
    end() {
      body.end();
    },
    async abort() {
      body.destroy();
      await upload.abort().catch(() => undefined);
    },
  };
}

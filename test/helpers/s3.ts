import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const BUCKET = 'pgmy-test';

export interface LocalS3 {
  /** http://127.0.0.1:PORT, for --s3-endpoint. */
  readonly endpoint: string;
  /** s3://pgmy-test/NAME */
  url(name: string): string;
  stop(): Promise<void>;
}

/**
 * A real S3-protocol server on loopback (s3rver serves the S3 API from a folder), with one bucket, and
 * the credentials it accepts in this process's environment (children inherit them).
 */
export async function localS3(): Promise<LocalS3> {
  const dir = await mkdtemp(join(tmpdir(), 'pgmy-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  // The SDK is pinned to a release that supports Node 20: its notice about later releases is noise here.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
  process.env['AWS_REGION'] = 'us-east-1';
  return {
    endpoint: `http://127.0.0.1:${port}`,
    url: (name) => `s3://${BUCKET}/${name}`,
    stop: async () => {
      // Keep-alive sockets of the clients (this process's own stores among them) would hold close() open.
      (server as unknown as { httpServer?: { closeAllConnections?: () => void } }).httpServer?.closeAllConnections?.();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { PgmyError, messageOf } from '../../errors.js';

/** What the AWS SDK says went wrong: its error name (the S3 code) and HTTP status, where it has them. */
export function s3Code(err: unknown): { code?: string; status?: number } {
  const e = err as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code;
  const status = e.$metadata?.httpStatusCode;
  return { ...(code ? { code } : {}), ...(status ? { status } : {}) };
}

export const isNotFound = (err: unknown): boolean => {
  const { code, status } = s3Code(err);
  return code === 'NoSuchKey' || code === 'NotFound' || status === 404;
};

/** A response cut off on the way (the connection reset or aborted mid-body). */
export const isCutOff = (err: unknown): boolean => /ECONNRESET|aborted|socket hang up|EPIPE/i.test(`${s3Code(err).code ?? ''} ${(err as Error)?.message ?? ''}`);

export const isNotImplemented = (err: unknown): boolean => {
  const { code, status } = s3Code(err);
  return code === 'NotImplemented' || status === 501 || status === 405;
};

/** A failed S3 request as a clear error: what was being done, at which URL, the server's code, what to do. */
export function s3Error(err: unknown, doing: string, url: string, extra: { table?: string; chunk?: string } = {}): PgmyError {
  if (err instanceof PgmyError) return err;
  const { code, status } = s3Code(err);
  const what = `${code ?? ''}${status ? ` (HTTP ${status})` : ''}`.trim();
  return new PgmyError('s3', `S3 failed ${doing} ${url}: ${what ? `${what}: ` : ''}${messageOf(err)}`, {
    ...extra, ...(code ? { server: { code } } : {}), hint: hintFor(code, status, messageOf(err)), cause: err,
  });
}

function hintFor(code: string | undefined, status: number | undefined, message: string): string {
  if (code === 'NoSuchBucket') return 'Create the bucket first (aws s3 mb s3://BUCKET), or check the bucket name in the URL.';
  if (code === 'AccessDenied' || code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || status === 403) {
    return 'Check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials) and that they may read and write this bucket.';
  }
  if (/credential/i.test(message)) return 'Give credentials as the AWS CLI reads them: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or ~/.aws/credentials.';
  if (/region/i.test(message)) return 'Set AWS_REGION (or region in ~/.aws/config) to the bucket\'s region.';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket/i.test(`${code ?? ''} ${message}`)) {
    return 'Check that the S3 endpoint is reachable from here (--s3-endpoint for S3-compatible servers); run the same command again once it is.';
  }
  return 'Run the same command again: what was stored completely is kept.';
}

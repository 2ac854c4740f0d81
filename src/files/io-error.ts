import { PgmyError, messageOf } from '../errors.js';

/** Errors of the connection to PostgreSQL that also carry an errno code and a syscall. */
const NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * The clear error for a failed write in the dump folder (a full disk above all), or undefined when `err`
 * is not a file-system error (it is then the source's, and reported as such).
 */
export function writeError(err: unknown, out: string, table?: string): PgmyError | undefined {
  const e = err as NodeJS.ErrnoException;
  const where = table ? ` while writing ${table}` : '';
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new PgmyError('io', `The disk holding ${out} is full${where}.`, {
      ...(table ? { table } : {}), ...(e.code ? { server: { code: e.code } } : {}), cause: err,
      hint: 'Free some space (or choose another --out) and run the same command again: complete tables are kept.',
    });
  }
  if (e.code && /^E[A-Z]+$/.test(e.code) && e.syscall && !NETWORK.has(e.code)) {
    return new PgmyError('io', `Cannot write in ${out}${where}: ${messageOf(err)}`, { ...(table ? { table } : {}), ...(e.code ? { server: { code: e.code } } : {}), cause: err });
  }
  return undefined;
}

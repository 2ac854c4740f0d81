/**
 * Every failure pgmy reports is a PgmyError: a stable code, a message that says what happened, where it
 * happened (table, column, chunk, row) and a hint that says what to do. Driver errors are kept as `cause`
 * with their own codes (SQLSTATE for PostgreSQL, errno/sqlState for MySQL) copied into `serverCode`.
 */
export type PgmyErrorCode =
  | 'usage'
  | 'bad-url'
  | 'connect'
  | 'auth'
  | 'no-database'
  | 'privilege'
  | 'server'
  | 'unsupported'
  | 'manifest'
  | 'chunk-corrupt'
  | 'chunk-missing'
  | 'load-mismatch'
  | 'local-infile-disabled'
  | 'target-not-empty'
  | 'dump-mismatch'
  | 'io'
  | 'verify-mismatch'
  | 'aborted';

export interface PgmyErrorDetails {
  readonly table?: string;
  readonly column?: string;
  readonly chunk?: string;
  readonly row?: number;
  readonly hint?: string;
  readonly serverCode?: string;
  readonly cause?: unknown;
}

export class PgmyError extends Error {
  readonly code: PgmyErrorCode;
  readonly table?: string;
  readonly column?: string;
  readonly chunk?: string;
  readonly row?: number;
  readonly hint?: string;
  readonly serverCode?: string;

  constructor(code: PgmyErrorCode, message: string, details: PgmyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PgmyError';
    this.code = code;
    this.table = details.table;
    this.column = details.column;
    this.chunk = details.chunk;
    this.row = details.row;
    this.hint = details.hint;
    this.serverCode = details.serverCode;
  }
}

/** The server's own error code, whichever driver raised it: SQLSTATE for pg, CODE (errno) for mysql2. */
export function serverCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; errno?: unknown };
  if (typeof e.errno === 'number' && typeof e.code === 'string') return `${e.code} (${e.errno})`;
  if (typeof e.code === 'string') return e.code;
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Every failure pgmy reports is a PgmyError: a stable code, a message that says what happened, where it
 * happened (table, column, chunk, row) and a hint that says what to do. Driver errors are kept as `cause`,
 * and what the server said about them (SQLSTATE or errno, detail, constraint, table, column) as `server`.
 */
/** The error a run stopped by its AbortSignal (Ctrl-C, SIGTERM) ends with, once its server statements are stopped. */
export function interrupted(): PgmyError {
  return new PgmyError('aborted', 'Interrupted: the statements pgmy had started on the servers were stopped.', { hint: 'Run the same command again to resume.' });
}

export type PgmyErrorCode =
  /** Arguments or options that cannot work together or are not understood (exit 2). */
  | 'usage'
  | 'bad-url'
  /** The filters select no table (exit 2). */
  | 'nothing-selected'
  /** The dump folder given cannot be used: not empty, already complete, not writable (exit 2). */
  | 'out-folder'
  /** A file named by an option (a certificate, pgmy.json) cannot be read (exit 2). */
  | 'unreadable-file'
  /** A program pgmy needs is not installed (zstd). */
  | 'missing-tool'
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
  /** A request to S3 (or an S3-compatible store) holding the dump failed. */
  | 's3'
  | 'verify-mismatch'
  /**
   * verify without a dump folder mapped a table otherwise than the load recorded in the target's journal
   * (a dump option, or the table changed since): it needs the dump folder to compare as loaded.
   */
  | 'mapping-changed'
  /** verify --drop-journal found a load that is not finished (or not one load): the journal is kept. */
  | 'journal-kept'
  /** A server connection made no progress for the stall timeout (a dead NAT, a frozen proxy). */
  | 'stalled'
  /** Stopped on request (an AbortSignal, or a failure elsewhere in the same run). */
  | 'aborted';

/** What the server (or the operating system) said about an error, as its driver reported it. */
export interface ServerDetails {
  /** PostgreSQL's SQLSTATE, or MySQL's sqlState. */
  readonly sqlState?: string;
  /** MySQL's error number. */
  readonly errno?: number;
  /** The driver's or the system's code name (ER_DUP_ENTRY, ECONNRESET, ENOSPC). */
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly constraint?: string;
  readonly schema?: string;
  readonly table?: string;
  readonly column?: string;
}

/** Absent and undefined both mean 'not known' (the constructor keeps only what is set). */
export interface PgmyErrorDetails {
  readonly table?: string | undefined;
  readonly column?: string | undefined;
  readonly chunk?: string | undefined;
  readonly row?: number | undefined;
  readonly hint?: string | undefined;
  readonly server?: ServerDetails | undefined;
  readonly cause?: unknown;
}

export class PgmyError extends Error {
  readonly code: PgmyErrorCode;
  readonly table?: string;
  readonly column?: string;
  readonly chunk?: string;
  readonly row?: number;
  readonly hint?: string;
  readonly server?: ServerDetails;

  constructor(code: PgmyErrorCode, message: string, details: PgmyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PgmyError';
    this.code = code;
    if (details.table !== undefined) this.table = details.table;
    if (details.column !== undefined) this.column = details.column;
    if (details.chunk !== undefined) this.chunk = details.chunk;
    if (details.row !== undefined) this.row = details.row;
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.server !== undefined) this.server = details.server;
  }

  /** The server's code in one line: `ER_DUP_ENTRY (1062)`, a SQLSTATE such as `57P01`, or a system code. */
  get serverCode(): string | undefined {
    const s = this.server;
    if (!s) return undefined;
    if (s.errno !== undefined) return `${s.code ?? s.sqlState ?? 'errno'} (${s.errno})`;
    return s.sqlState ?? s.code;
  }
}

/** Everything a driver error (pg, mysql2, or a system error) says about itself, with nothing made up. */
export function serverDetailsOf(err: unknown): ServerDetails | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof e[k] === 'string' && e[k] !== '' ? (e[k]) : undefined);
  const errno = typeof e.errno === 'number' && typeof e.sqlState === 'string' ? e.errno : undefined;
  // pg puts SQLSTATE in `code` (five characters); mysql2 puts a name there and SQLSTATE in `sqlState`.
  const code = str('code');
  const pgState = typeof e.severity === 'string' && code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const out: Record<string, string | number> = {};
  const put = (k: keyof ServerDetails, v: string | number | undefined) => { if (v !== undefined) out[k] = v; };
  put('sqlState', pgState ?? str('sqlState'));
  put('errno', errno);
  put('code', pgState === undefined ? code : undefined);
  put('detail', str('detail'));
  put('hint', str('hint'));
  put('constraint', str('constraint'));
  put('schema', str('schema'));
  put('table', str('table'));
  put('column', str('column'));
  return Object.keys(out).length > 0 ? (out) : undefined;
}

/** The server's own error code in one line, whichever driver raised it (see PgmyError.serverCode). */
export function serverCodeOf(err: unknown): string | undefined {
  const s = serverDetailsOf(err);
  if (!s) return undefined;
  if (s.errno !== undefined) return `${s.code ?? s.sqlState} (${s.errno})`;
  return s.sqlState ?? s.code;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

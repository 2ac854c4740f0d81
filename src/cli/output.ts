import { PgmyError, redactUrl, type PgmyErrorCode } from '../index.js';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The stream behind `err`, when it is a real one: live progress bars are drawn on it if it is a terminal. */
  readonly errStream?: NodeJS.WriteStream;
  /** --log-file: a line for the log only (what a terminal shows as a frame, written as plain lines). */
  readonly log?: (text: string) => void;
}

/** Set once the reader of standard output went away (`pgmy plan | head`): the rest is not written. */
let stdoutGone = false;

/** A closed pipe on standard output ends the output quietly, as psql and pg_dump do; anything else is thrown. */
export function quietOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stdoutGone = true;
  });
}

export const processIo: Io = {
  out: (t) => { if (!stdoutGone) process.stdout.write(t); },
  err: (t) => process.stderr.write(t),
  errStream: process.stderr,
};

/** 130: stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT = { ok: 0, failed: 1, usage: 2, mismatch: 3, blocked: 4, interrupted: 130 } as const;

/** Failures the user mends by changing the command (its options, files or folder): exit 2. */
const USAGE_CODES: ReadonlySet<PgmyErrorCode> = new Set<PgmyErrorCode>(['usage', 'bad-url', 'nothing-selected', 'out-folder', 'unreadable-file', 'missing-tool']);

/** The one paragraph a user sees for a failure: what, where, what to do; the stack only with --debug. */
export function renderError(err: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (err instanceof PgmyError) {
    lines.push(`pgmy: ${redactUrl(err.message)}`);
    const where = [
      err.table && `table ${err.table}`, err.column && `column ${err.column}`, err.chunk && `chunk ${err.chunk}`,
      err.row !== undefined && `row ${err.row}`, err.serverCode && `server code ${err.serverCode}`,
    ].filter(Boolean);
    if (where.length > 0) lines.push(`  where: ${where.join(', ')}`);
    if (err.hint) lines.push(`  what to do: ${err.hint}`);
  } else {
    lines.push(`pgmy: unexpected error: ${redactUrl(err instanceof Error ? err.message : String(err))}`);
    lines.push('  what to do: this is a bug in pgmy; please report it with the output of --debug.');
  }
  if (debug && err instanceof Error) {
    lines.push(redactUrl(err.stack ?? ''));
    if (err.cause instanceof Error) lines.push(`caused by: ${redactUrl(err.cause.stack ?? err.cause.message)}`);
  }
  return lines.join('\n') + '\n';
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof PgmyError) {
    if (USAGE_CODES.has(err.code)) return EXIT.usage;
    if (err.code === 'verify-mismatch') return EXIT.mismatch;
    if (err.code === 'unsupported') return EXIT.blocked;
  }
  return EXIT.failed;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** A plain text table with right-aligned numbers, like pgloader's summary. */
export function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[\d.,]+( [KMGT]?i?B|s| MB\/s)?$/.test(String(r[i]))));
  const line = (r: readonly string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?$/i.exec(text.trim());
  if (!m?.[1]) throw new PgmyError('usage', `"${text}" is not a size.`, { hint: 'Use a number of bytes or a size such as 64MiB, 512k, 1G.' });
  const unit = (m[2] ?? '').toLowerCase().replace(/i?b$/, '');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

/** The version of the --json event lines (README, "Events (--json)"): bumped when a field changes meaning or goes. */
export const EVENTS_VERSION = 1;

/** The --json event for a failure (README, "Events"): what renderError says, as fields. */
export function errorEvent(err: unknown, command: string): string {
  const e = err instanceof PgmyError ? err : undefined;
  return JSON.stringify({
    v: EVENTS_VERSION, at: new Date().toISOString(), command, type: 'error',
    code: e?.code ?? 'bug', message: err instanceof Error ? err.message : String(err),
    ...(e?.hint ? { hint: e.hint } : {}), ...(e?.table ? { table: e.table } : {}), ...(e?.column ? { column: e.column } : {}),
    ...(e?.chunk ? { chunk: e.chunk } : {}), ...(e?.row !== undefined ? { row: e.row } : {}), ...(e?.serverCode ? { serverCode: e.serverCode } : {}),
  });
}

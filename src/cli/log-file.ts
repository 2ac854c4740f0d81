import { appendFileSync } from 'node:fs';
import type { Io } from './output.js';
import { PgmyError } from '../index.js';

/** The --log-file value, read before yargs runs (the output must be wrapped from the first line on). */
export function logFileArg(argv: readonly string[]): string | undefined {
  for (const [i, a] of argv.entries()) {
    if (a === '--log-file') return argv[i + 1];
    if (a.startsWith('--log-file=')) return a.slice('--log-file='.length);
  }
  return undefined;
}

/**
 * The output with a copy of every line appended to `path`, each with its UTC time (ISO 8601): messages, the
 * progress lines, the summary, the error. Terminal frames (escape sequences) are left out; the progress
 * display writes its lines there through `log` instead. Each line is appended as it comes (no buffer), so a
 * kill -9 keeps all that was said before it.
 */
export function withLogFile(io: Io, path: string, now: () => Date = () => new Date()): Io {
  const log = (text: string) => {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) return;
    const at = now().toISOString();
    try {
      appendFileSync(path, lines.map((l) => `${at} ${l}\n`).join(''), { mode: 0o600 });
    } catch (cause) {
      throw new PgmyError('unreadable-file', `Cannot write the log file ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}.`, { cause, hint: 'Give --log-file a path in a folder you can write to.' });
    }
  };
  return {
    out: (t) => { io.out(t); log(t); },
    err: (t) => { io.err(t); if (!t.includes('\x1b')) log(t); },
    ...(io.errStream ? { errStream: io.errStream } : {}),
    log,
  };
}

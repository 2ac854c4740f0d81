import { spawn } from 'node:child_process';
import { Duplex, pipeline, Transform } from 'node:stream';
import { PgmyError } from '../errors.js';

/**
 * The zstd program as a stream: bytes written go to its stdin, its stdout is read. Node 20 has no zstd of its
 * own (zlib gains it in Node 22.15) and the npm bindings need a native build, so the program every
 * distribution packages is used. The readable side ends only once zstd has exited 0, so a failure (a damaged
 * frame, a full disk) can never look like a clean, shorter end.
 */
export function zstdProcess(args: readonly string[], what: string): Duplex {
  const child = spawn('zstd', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => { if (stderr.length < 2000) stderr += t; });
  const exited = new Promise<Error | undefined>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT'
      ? new PgmyError('missing-tool', `The zstd program is needed for ${what} but is not installed.`, {
        hint: 'Install it (Debian/Ubuntu: apt-get install zstd; macOS: brew install zstd), or dump with --compress gzip or none.', cause: err,
      })
      : err));
    child.once('close', (code, signal) => resolve(code === 0 ? undefined
      : new PgmyError('io', `zstd failed while ${what} (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}.`, {
        hint: args.includes('-d')
          ? 'A damaged .zst chunk: copy the dump folder again from where it was made, or dump again.'
          : 'Check that the zstd program works (zstd --version); or dump with --compress gzip or none.',
      })));
  });
  const out = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) { done(null, chunk); },
    flush(done) { exited.then((err) => done(err ?? null), done); },
  });
  pipeline(child.stdout, out, () => undefined);
  const duplex = Duplex.from({ writable: child.stdin, readable: out });
  // A zstd that failed to start or stopped early closes its stdin: report why, not EPIPE.
  child.stdin.on('error', () => { exited.then((err) => duplex.destroy(err ?? undefined), () => undefined); });
  exited.then((err) => { if (err) duplex.destroy(err); }, () => undefined);
  duplex.once('close', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  return duplex;
}

/** Fails early, with the same advice, when the zstd program is missing: before any data moves. */
export async function ensureZstd(what: string): Promise<void> {
  const z = zstdProcess(['-q', '-c'], what);
  z.resume();
  await new Promise<void>((resolve, reject) => {
    z.once('error', reject);
    z.once('end', () => resolve());
    z.end();
  });
}

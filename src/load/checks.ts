import { dumpLocation, type DumpStore } from '../files/store.js';
import { openStore, useS3Settings } from '../files/stores.js';
import { codecOfFile } from '../compression/codec.js';
import { ensureZstd } from '../compression/zstd-process.js';
import { myTarget } from '../target/mysql/connect.js';
import { describeTarget } from '../connection/url.js';
import { checkChunk } from '../model/dump-format/chunk-check.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';
import { MANIFEST_FILE, readManifest, type Manifest } from '../model/dump-format/manifest.js';
import { checkSqlFiles } from '../model/dump-format/sha256.js';
import { PgmyError } from '../errors.js';
import type { ServerFlavor } from '../model/target.js';

/** A complete dump whose every chunk is there with its recorded size: nothing is loaded from anything less. */
export async function loadableDump(folder: string, s3Endpoint?: string, follow?: { readonly waitSeconds: number }): Promise<{ dir: string; manifest: Manifest }> {
  if (s3Endpoint !== undefined) useS3Settings({ endpoint: s3Endpoint });
  const dir = dumpLocation(folder);
  const store = await openStore(dir);
  const manifest = follow ? await firstManifest(dir, store, follow.waitSeconds) : await readManifest(dir);
  // Followed, a dump still being written is loaded table by table as they complete (their chunks checked as read).
  if (follow && !manifest.complete) return { dir, manifest };
  if (!manifest.complete) {
    throw new PgmyError('manifest', `The dump in ${dir} is not complete: its dump stopped before the end.`, {
      hint: 'Run the same `pgmy dump` command again to finish it, then load (or load it while it runs with --follow).',
    });
  }
  const chunks = manifest.data.flatMap((d) => d.chunks);
  await checkChunkFiles(store, chunks);
  const [changed] = await checkSqlFiles(dir, manifest.files);
  if (changed) {
    throw new PgmyError('manifest', `${store.where(changed.file)} is ${changed.problem}; nothing was loaded.`, {
      hint: 'load renders its statements from the manifest, not from the .sql files, but a changed file means the folder is not as dumped: restore it from the machine that made the dump, or dump again.',
    });
  }
  if (chunks.some((c) => codecOfFile(c.file) === 'zstd')) await ensureZstd('reading the .zst chunks of this dump');
  return { dir, manifest };
}

/** load --follow started before the dump wrote its first manifest: it waits for one, up to --stall-timeout. */
async function firstManifest(dir: string, store: DumpStore, waitSeconds: number): Promise<Manifest> {
  const until = performance.now() + waitSeconds * 1000;
  while (performance.now() < until && (await store.size(MANIFEST_FILE)) === undefined) await new Promise((r) => setTimeout(r, 500));
  return readAgain(dir);
}

/**
 * The manifest of a dump being written: where the store does not replace it atomically (s3rver; some
 * network file systems) a read may catch it half written, so a failed read is tried again a few times.
 */
export async function readAgain(dir: string): Promise<Manifest> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readManifest(dir);
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

export function localInfileOff(info: { flavor: ServerFlavor }, target: ReturnType<typeof myTarget>): PgmyError {
  return new PgmyError('local-infile-disabled', `${info.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} at ${describeTarget(target)} has local_infile switched off, so LOAD DATA LOCAL INFILE cannot run.`, {
    hint: 'Run SET GLOBAL local_infile = 1 as an administrator (or set local_infile=1 in the server\'s configuration), or load with --method insert (slower, same result).',
  });
}

/** Every chunk must be there with its recorded size before anything is loaded. */
async function checkChunkFiles(store: DumpStore, chunks: readonly ChunkRecord[]): Promise<void> {
  for (const c of chunks) {
    const path = store.where(c.file);
    const state = await checkChunk(store, c, false);
    if (state.kind === 'missing') {
      throw new PgmyError('chunk-missing', `Chunk ${path} is missing; nothing was loaded.`, {
        chunk: c.file, hint: 'The dump folder is incomplete: copy it again from where it was made, or dump again.',
      });
    }
    if (state.kind === 'size') {
      throw new PgmyError('chunk-corrupt', `Chunk ${path} has ${state.size} bytes where the manifest records ${c.bytes} (truncated or changed); nothing was loaded.`, {
        chunk: c.file, hint: 'Copy the dump folder again from where it was made, or dump again.',
      });
    }
  }
}


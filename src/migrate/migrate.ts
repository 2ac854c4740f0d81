import { dumpLocation } from '../files/store.js';
import { useS3Settings } from '../files/stores.js';
import { dump, type DumpEvent, type DumpOptions, type DumpResult } from '../dump/dump.js';
import { previousManifest } from '../dump/resume.js';
import type { Manifest, TableData } from '../model/dump-format/manifest.js';
import { load, writeLoadReport, type LoadEvent, type LoadOptions, type LoadResult } from '../load/load.js';
import { LoadSession } from '../load/session.js';
import { ChunkQueue } from './chunk-queue.js';
import { connectMy, myTarget, serverInfo } from '../target/mysql/connect.js';
import type { ServerFlavor } from '../model/target.js';

export interface MigrateOptions extends Omit<DumpOptions, 'onEvent' | 'onStarted' | 'signal' | 'command'>, Omit<LoadOptions, 'dir' | 'onEvent' | 'jobs' | 'command' | 'tables'> {
  readonly onDumpEvent?: (e: DumpEvent) => void;
  readonly onLoadEvent?: (e: LoadEvent) => void;
  /** false: dump everything, then load (--no-overlap); both sides then have every core to themselves. */
  readonly overlap?: boolean;
}

export interface MigrateResult {
  readonly dump: DumpResult;
  readonly load: LoadResult;
  /** Whether dump and load ran overlapped (false with overlap: false, or when the folder already held a complete dump). */
  readonly overlapped: boolean;
  readonly seconds: number;
}

/**
 * Dump and load overlapped: the load opens as soon as the dump's first manifest (the whole schema) is on
 * disk, and each chunk is loaded as soon as the dump has finished it (fsynced under its final name), so the
 * wall time approaches the slower side instead of the sum. The folder ends up holding the same complete,
 * resumable, verifiable dump as `pgmy dump` writes. Post-data (indexes, foreign keys) runs once the dump is
 * complete and every chunk is loaded. Run again after any interruption: the dump resumes, tables it redoes
 * are emptied in the target (their journaled chunks no longer match), everything else is kept.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  // schema.sql and post-data.sql are written for the server the load goes to (its collation names differ).
  if (options.targetFlavor === undefined) options = { ...options, targetFlavor: await targetFlavor(options) };
  const dir = dumpLocation(options.out);
  if (options.s3Endpoint !== undefined) useS3Settings({ endpoint: options.s3Endpoint });
  // The dump's --tables chose what the folder holds: the load takes all of it.
  const { tables: _dumped, ...rest } = options;
  const loadOptions: LoadOptions = { ...rest, command: 'migrate', dir, ...(options.onLoadEvent ? { onEvent: options.onLoadEvent } : {}) };
  const previous = await previousManifest(options.out).catch(() => undefined);
  if (previous?.complete) {
    // The dump finished in an earlier run: what is left is the load.
    const loaded = await load(loadOptions);
    return { dump: { dir, manifest: previous, seconds: 0 }, load: loaded, overlapped: false, seconds: (performance.now() - started) / 1000 };
  }
  if (options.overlap === false) {
    const dumped = await dump({ ...options, command: 'migrate', ...(options.onDumpEvent ? { onEvent: options.onDumpEvent } : {}) });
    const loaded = await load(loadOptions);
    return { dump: dumped, load: loaded, overlapped: false, seconds: (performance.now() - started) / 1000 };
  }

  const queue = new ChunkQueue((d, chunk) => options.onLoadEvent?.({ type: 'chunk-kept', table: d.target, chunk }));
  const abort = new AbortController();
  // Interrupted from outside (Ctrl-C): the dump stops as on a failure, the load by the same signal.
  if (options.signal?.aborted) abort.abort();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  let manifest: Manifest | undefined;
  let loading: Promise<LoadSession> | undefined;
  const entry = (source: string): TableData | undefined => manifest?.data.find((d) => `${d.schema}.${d.name}` === source);

  const dumping = dump({
    ...options, command: 'migrate',
    signal: abort.signal,
    onStarted: (m) => {
      manifest = m;
      // Chunks an earlier run kept are loaded too (those the journal holds are passed over).
      for (const d of m.data) for (const c of d.chunks) queue.push(d, c);
      loading = (async () => {
        const session = await LoadSession.open(loadOptions, structuredClone(m));
        queue.loaded = session.loaded;
        try {
          await session.run(queue);
        } catch (err) {
          await session.close();
          throw err;
        }
        return session;
      })();
      // A failed load stops the dump at once (the error reported is the load's).
      loading.catch(() => abort.abort());
    },
    onEvent: (e) => {
      if (e.type === 'chunk') {
        const d = entry(e.source);
        if (d) queue.push(d, e.chunk);
      }
      options.onDumpEvent?.(e);
    },
  });

  let dumped: DumpResult;
  try {
    dumped = await dumping;
  } catch (err) {
    queue.stop();
    const session = await loading?.catch(() => undefined);
    await session?.close();
    // When the load failed first, its error is the one that explains the stop.
    const loadErr = await loading?.then(() => undefined, (e: unknown) => e);
    throw loadErr ?? err;
  }
  // Every chunk of the complete dump goes through the queue (it passes over what it already handed out).
  for (const d of dumped.manifest.data) for (const c of d.chunks) queue.push(d, c);
  queue.close();
  const session = await (loading as Promise<LoadSession>);
  try {
    const result = await session.finish(dumped.manifest);
    await writeLoadReport(dir, result, options.dataOnly ?? false);
    return { dump: dumped, load: result, overlapped: true, seconds: (performance.now() - started) / 1000 };
  } finally {
    await session.close();
  }
}

/** The target server's flavour, read over a short connection. */
async function targetFlavor(options: MigrateOptions): Promise<ServerFlavor> {
  const conn = await connectMy(myTarget(options.target, options.targetPassword));
  try {
    return (await serverInfo(conn)).flavor;
  } finally {
    await conn.end().catch(() => undefined);
  }
}

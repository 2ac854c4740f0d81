import type { Codec } from '../compression/codec.js';
import type { Catalog } from '../model/catalog.js';
import type { Manifest, TableData } from '../model/dump-format/manifest.js';
import { sourceKey, type TargetTable } from '../model/target.js';
import type { ConnectionTarget } from '../connection/url.js';
import type { PgClient, PgSessionOptions } from '../source/postgres/connect.js';
import { joinSnapshot } from '../source/postgres/snapshot.js';
import { partPrefix, partWhere } from '../source/postgres/split.js';
import { PgmyError } from '../errors.js';
import type { CoalescingWriter } from './coalescing-writer.js';
import { dumpTable, tableRelDir, type DumpedPiece } from './dump-table.js';
import { makeTableFolders, type FolderState } from './table-folders.js';
import { openStore } from '../files/stores.js';
import { writeError } from '../files/io-error.js';
import type { GroupSync } from '../files/group-sync.js';
import type { DumpEvent } from './options.js';
import { assemble } from './table-data.js';
import type { ValueGuard } from './value-guard.js';

/** When a table began and ended in this run (seconds from the run's start), for its time and the report's chart. */
export type Timing = Map<number, { start: number; end?: number }>;

export interface RunTables {
  readonly source: ConnectionTarget;
  readonly snapshotId: string;
  readonly catalog: Catalog;
  /** Its data entries are replaced as tables and parts finish; the writer saves it. */
  readonly manifest: Manifest;
  readonly manifestWriter: CoalescingWriter;
  readonly out: string;
  readonly jobs: number;
  readonly session: PgSessionOptions;
  readonly chunkSize: number;
  readonly codec?: Codec;
  readonly emit: (e: DumpEvent) => void;
  readonly signal?: AbortSignal;
  readonly clock: () => number;
  readonly sync: GroupSync;
  /** By table index: the value checks the scan left to the COPY. */
  readonly guards?: ReadonlyMap<number, ValueGuard>;
  /**
   * Called once every table is in the manifest and nothing failed, before the manifest's last write: the
   * dump marks it complete there, so that write is the complete one (one write fewer at the end of a dump:
   * 20-25 ms for a manifest of 200 tables).
   */
  readonly complete: () => void;
}

interface Work { readonly t: TargetTable; readonly index: number; readonly part?: number; readonly bytes: number }

/** What is left to dump, largest first; tables kept whole from an earlier run are reported done. */
function workList(r: RunTables): Work[] {
  const todo: Work[] = [];
  for (const [index, t] of r.manifest.target.tables.entries()) {
    const d = r.manifest.data[index] as TableData;
    const estimated = r.catalog.tables[index]?.estimatedBytes ?? 0;
    if (d.complete) {
      r.emit({ type: 'table-done', table: t.name, data: d, reused: true });
    } else if (d.split && d.parts) {
      d.parts.forEach((p, part) => { if (!p.complete) todo.push({ t, index, part, bytes: estimated / (d.parts?.length ?? 1) }); });
    } else {
      todo.push({ t, index, bytes: estimated });
    }
  }
  return todo.sort((a, b) => b.bytes - a.bytes);
}

/**
 * Dumps every table and part left on up to `jobs` sessions of the one snapshot (`main` is the first). Each
 * finished piece is recorded in the manifest, whose writes coalesce: with many small tables, one write per
 * table (the manifest holds the whole catalog) took a third of the run. A kill loses at most the tables
 * finished since the last write, which a resumed dump redoes. The first failure stops every COPY at once.
 */
export async function runTables(main: PgClient, workers: PgClient[], r: RunTables): Promise<Timing> {
  const todo = workList(r);
  // Object storage has no folders: each piece removes what an earlier run uploaded, as in a folder that existed.
  const folders = (await openStore(r.out)).remote ? new Map<string, FolderState>()
    : await makeTableFolders(r.out, todo.map((w) => tableRelDir(w.t))).catch((err: unknown) => {
      throw writeError(err, r.out) ?? err;
    });
  // Sessions that joined for the scan are used as they are; more join when there is more to do in parallel.
  for (let i = workers.length; i < Math.min(r.jobs, todo.length); i++) workers.push(await joinSnapshot(r.source, r.snapshotId, 'pgmy dump worker', r.session));
  const entries: Array<Promise<TableData>> = [];
  const recording: Array<Promise<void>> = [];
  const timing: Timing = new Map();
  let failed: unknown;
  const stop = () => {
    failed ??= new PgmyError('aborted', 'The dump was stopped.');
    for (const w of workers) w.end().catch(() => undefined);
  };
  if (r.signal?.aborted) stop();
  r.signal?.addEventListener('abort', stop, { once: true });
  const record = (entry: Promise<TableData>, t: TargetTable): void => {
    // Not awaited: the worker goes on to its next table while the files are synced and the manifest written.
    const recorded = entry.then((data) => r.manifestWriter.request().then(() => {
      if (data.complete) r.emit({ type: 'table-done', table: t.name, data, reused: false });
    }));
    recorded.catch((err: unknown) => { failed ??= err; stop(); });
    entries.push(entry);
    recording.push(recorded);
  };
  const run = async (client: PgClient): Promise<void> => {
    for (let work = todo.shift(); work && failed === undefined; work = todo.shift()) {
      try {
        record((await dumpWork(client, work, r, timing, folders.get(tableRelDir(work.t)) ?? 'existed')).entry, work.t);
      } catch (err) {
        failed ??= err;
        // Stop the other workers' COPYs at once: their parts will be redone by the next run.
        for (const w of workers) if (w !== client) w.end().catch(() => undefined);
      }
    }
  };
  try {
    await Promise.all(workers.map(run));
    const pieces = await Promise.allSettled(entries);
    const lost = pieces.find((p) => p.status === 'rejected');
    if (lost) failed ??= lost.reason;
    if (failed === undefined) {
      // Every table is in the manifest: marked complete, it is written once more (a write not begun yet
      // carries this request too; one under way was begun before, so another follows it).
      r.complete();
      const last = r.manifestWriter.request();
      last.catch((err: unknown) => { failed ??= err; });
      recording.push(last);
    }
    // Every table is read: the last entries are written at once, not after the spacing between writes.
    r.manifestWriter.hurry();
    await Promise.allSettled(recording);
  } finally {
    r.signal?.removeEventListener('abort', stop);
  }
  if (failed !== undefined) throw failed instanceof Error ? failed : new Error(JSON.stringify(failed));
  return timing;
}

/**
 * Dumps one table or part. Once its files are durable, `entry` records the piece in the manifest's entry for
 * the table (as other parts have left it by then) and gives that entry.
 */
async function dumpWork(
  client: PgClient, { t, index, part, bytes }: Work, r: RunTables, timing: Timing, folder: FolderState,
): Promise<{ entry: Promise<TableData> }> {
  const st = r.catalog.tables[index];
  if (!timing.has(index)) timing.set(index, { start: r.clock() });
  r.emit({ type: 'table-start', table: t.name, estimatedBytes: st?.estimatedBytes ?? bytes, ...(part !== undefined ? { part } : {}) });
  const split = (r.manifest.data[index] as TableData).split;
  const piece = await dumpTable(client, t, {
    outDir: r.out, chunkSize: r.chunkSize, partitioned: st?.kind === 'partitioned', orderByKey: (r.manifest.data[index] as TableData).order === 'key',
    ...(r.codec ? { codec: r.codec } : {}), ...(r.guards?.has(index) ? { guard: r.guards.get(index) as ValueGuard } : {}),
    ...(split && part !== undefined ? { part: { where: partWhere(split, part), prefix: partPrefix(part) } } : {}),
    onChunk: (chunk) => r.emit({ type: 'chunk', table: t.name, source: sourceKey(t), chunk }),
    onBytes: (n, rows) => r.emit({ type: 'bytes', table: t.name, bytes: n, rows }), sync: r.sync, folder,
  });
  return { entry: piece.durable.then(() => recordPiece(r, index, part, piece, timing)) };
}

/** Reads and replaces the table's entry in one step: other parts of the table may have been recorded meanwhile. */
function recordPiece(r: RunTables, index: number, part: number | undefined, piece: DumpedPiece, timing: Timing): TableData {
  const current = r.manifest.data[index] as TableData;
  const assembled: TableData = part !== undefined && current.parts
    ? assemble(current, current.parts.map((p, n) => (n === part ? { complete: true, rows: piece.rows, bytes: piece.bytes, chunks: [...piece.chunks] } : p)))
    : { ...current, complete: true, rows: piece.rows, bytes: piece.bytes, chunks: [...piece.chunks] };
  const when = timing.get(index) as { start: number; end?: number };
  if (assembled.complete) when.end = r.clock();
  // A table in parallel parts took from its first part's start to its last part's end.
  const data = assembled.complete ? { ...assembled, seconds: (when.end ?? r.clock()) - when.start } : assembled;
  r.manifest.data[index] = data;
  return data;
}

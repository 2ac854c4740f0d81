import { resolve } from 'node:path';
import { connectMy, myTarget, serverInfo } from '../db/mysql.js';
import type { ChunkRecord } from '../dump/chunk-writer.js';
import { writeReportSection } from '../dump/report.js';
import type { ServerFlavor } from '../mapping/target-model.js';
import type { PostDataStep } from './post-data.js';
import { loadableDump, localInfileOff } from './checks.js';
import { dryRun, type DryRun } from './dry-run.js';
import { LoadSession, listSource } from './session.js';

export type LoadEvent =
  | { type: 'start'; database: string; flavor: ServerFlavor; serverVersion: string; chunks: number; bytes: number; alreadyLoaded: number;
      /** What is left to load, per table. */
      tables: ReadonlyArray<{ table: string; chunks: number; bytes: number }> }
  /** Bytes of a chunk as the server reads them (many per chunk; for progress displays). */
  | { type: 'bytes'; table: string; bytes: number }
  | { type: 'chunk-done'; table: string; chunk: ChunkRecord }
  /** The table's chunks were dumped again after part of it was loaded: it was emptied and is loaded whole. */
  | { type: 'reset'; table: string }
  /** Every chunk of the table that this run had to load is loaded. */
  | { type: 'table-done'; table: string }
  | { type: 'post-data'; kind: PostDataStep['kind']; table: string };

export interface LoadOptions {
  readonly target: string;
  readonly dir: string;
  readonly jobs?: number;
  /** Replace target tables that already hold rows pgmy did not load. */
  readonly truncate?: boolean;
  /** Forget another dump's load in this database and start over (its tables are dropped). */
  readonly restart?: boolean;
  /** Load into tables that already exist (made by a framework), matching them by name; no DDL. */
  readonly dataOnly?: boolean;
  /** --data-only: match table and column names ignoring case. */
  readonly ignoreCase?: boolean;
  /** --data-only: columns on one side only are skipped (source) or left to their defaults (target). */
  readonly allowMissingColumns?: boolean;
  /** `infile` (LOAD DATA LOCAL, the fast way) or `insert` (multi-row INSERTs, for servers with local_infile off). */
  readonly method?: 'infile' | 'insert';
  readonly onEvent?: (e: LoadEvent) => void;
}

/** `pgmy load --dry-run`: every check the load makes before it changes anything, and what it would do. */
export async function loadDryRun(options: LoadOptions): Promise<DryRun & { readonly flavor: ServerFlavor; readonly serverVersion: string }> {
  const { manifest } = await loadableDump(options.dir);
  const target = myTarget(options.target);
  const conn = await connectMy(target);
  try {
    const info = await serverInfo(conn);
    if ((options.method ?? 'infile') === 'infile' && !info.localInfile) throw localInfileOff(info, target);
    const r = await dryRun(conn, target.database, manifest, {
      dataOnly: options.dataOnly ?? false, truncate: options.truncate ?? false, restart: options.restart ?? false,
      ignoreCase: options.ignoreCase ?? false, allowMissingColumns: options.allowMissingColumns ?? false,
    });
    return { ...r, flavor: info.flavor, serverVersion: info.version };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export interface TableLoadResult {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly chunks: number;
  /** When this run began and finished loading the table's chunks (seconds from the load's start), if it did. */
  readonly startSecond?: number;
  readonly seconds?: number;
}

export interface LoadResult {
  readonly database: string;
  readonly flavor: ServerFlavor;
  readonly serverVersion: string;
  readonly tables: readonly TableLoadResult[];
  readonly chunksLoaded: number;
  readonly chunksSkipped: number;
  readonly seconds: number;
}

/** Replays a dump folder into MySQL/MariaDB. Safe to kill at any moment and run again. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await loadOnce(options);
  await writeLoadReport(options.dir, result, options.dataOnly ?? false);
  return result;
}

/** The load's section of report.json (and report.html); best effort: a dump folder on read-only media still loads. */
export async function writeLoadReport(dir: string, result: LoadResult, dataOnly: boolean): Promise<void> {
  await writeReportSection(resolve(dir), 'load', {
    startedAt: new Date(Date.now() - result.seconds * 1000).toISOString(), seconds: result.seconds,
    database: result.database, flavor: result.flavor, serverVersion: result.serverVersion,
    chunksLoaded: result.chunksLoaded, chunksSkipped: result.chunksSkipped, dataOnly,
    tables: result.tables.map((t) => ({
      table: t.name, rows: t.rows, bytes: t.bytes, chunks: t.chunks,
      ...(t.seconds !== undefined ? { startSecond: t.startSecond, seconds: t.seconds, mbPerSec: t.bytes / 1e6 / Math.max(t.seconds, 1e-6) } : { alreadyLoaded: true }),
    })),
  }).catch(() => undefined);
}

async function loadOnce(options: LoadOptions): Promise<LoadResult> {
  const { dir, manifest } = await loadableDump(options.dir);
  const emit = options.onEvent ?? (() => undefined);
  const session = await LoadSession.open({ ...options, dir }, manifest);
  try {
    const source = listSource(manifest, session.loaded);
    emit({
      type: 'start', database: session.database, flavor: session.info.flavor, serverVersion: session.info.version, chunks: source.size,
      bytes: source.bytes, alreadyLoaded: session.loaded.size, tables: [...source.perTable.values()].map((t) => ({ ...t })),
    });
    await session.run(source, (job) => {
      const left = source.perTable.get(job.table.name);
      if (left && --left.chunks === 0) emit({ type: 'table-done', table: job.table.name });
    });
    return await session.finish(manifest);
  } finally {
    await session.close();
  }
}

import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { connectMy, myQueryError, myTarget, serverInfo, type MyConnection } from '../db/mysql.js';
import { quoteMy, tableMy } from '../db/quote.js';
import { describeTarget } from '../db/url.js';
import type { ChunkRecord } from '../dump/chunk-writer.js';
import { readManifest, type Manifest } from '../dump/manifest.js';
import { writeReportSection } from '../dump/report.js';
import { PgmyError } from '../errors.js';
import { createDatabaseSql } from '../mapping/ddl.js';
import { sourceKey, type ServerFlavor, type TargetTable } from '../mapping/target-model.js';
import { createTables } from './create-tables.js';
import { dryRun, type DryRun } from './dry-run.js';
import { ensureJournal, journalAdd, journalClear, journalDumpIds, journalItems, JOURNAL_TABLE } from './journal.js';
import { insertChunk } from './insert-chunk.js';
import { loadChunk, type ChunkJob } from './load-chunk.js';
import { pendingSteps, postDataSteps, runPostDataStep, type PostDataStep } from './post-data.js';
import { continueSequences, findOrphans, orphanError } from './data-only/after-load.js';
import { prepareDataOnly } from './data-only/prepare.js';
import { dataOnlyLoadSql, FieldRewriter, needsRewrite } from './data-only/statement.js';

export type LoadEvent =
  | { type: 'start'; database: string; flavor: ServerFlavor; serverVersion: string; chunks: number; bytes: number; alreadyLoaded: number;
      /** What is left to load, per table. */
      tables: ReadonlyArray<{ table: string; chunks: number; bytes: number }> }
  /** Bytes of a chunk as the server reads them (many per chunk; for progress displays). */
  | { type: 'bytes'; table: string; bytes: number }
  | { type: 'chunk-done'; table: string; chunk: ChunkRecord }
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
  // The record is best effort: a dump folder copied to read-only media is still loadable.
  await writeReportSection(resolve(options.dir), 'load', {
    startedAt: new Date(Date.now() - result.seconds * 1000).toISOString(), seconds: result.seconds,
    database: result.database, flavor: result.flavor, serverVersion: result.serverVersion,
    chunksLoaded: result.chunksLoaded, chunksSkipped: result.chunksSkipped, dataOnly: options.dataOnly ?? false,
    tables: result.tables.map((t) => ({
      table: t.name, rows: t.rows, bytes: t.bytes, chunks: t.chunks,
      ...(t.seconds !== undefined ? { startSecond: t.startSecond, seconds: t.seconds, mbPerSec: t.bytes / 1e6 / Math.max(t.seconds, 1e-6) } : { alreadyLoaded: true }),
    })),
  }).catch(() => undefined);
  return result;
}

async function loadOnce(options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const { dir, manifest } = await loadableDump(options.dir);
  const target = myTarget(options.target);
  const database = target.database;
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const emit = options.onEvent ?? (() => undefined);
  const tables = manifest.target.tables;
  const bySource = new Map(tables.map((t) => [sourceKey(t), t]));

  const admin = await connectMy(target);
  const workers: MyConnection[] = [];
  try {
    const info = await serverInfo(admin);
    const method = options.method ?? 'infile';
    if (method === 'infile' && !info.localInfile) throw localInfileOff(info, target);
    for (const db of new Set([database, ...tables.flatMap((t) => (t.database !== undefined ? [t.database] : []))])) {
      await step(admin, createDatabaseSql(db, info.flavor), `creating database ${db}`);
    }
    await step(admin, `USE ${quoteMy(database)}`, `using database ${database}`);
    await step(admin, 'SET SESSION foreign_key_checks = 0', 'preparing the session');
    await ensureJournal(admin).catch((err: unknown) => { throw myQueryError(err, `creating the journal table ${JOURNAL_TABLE}`); });
    const others = (await journalDumpIds(admin)).filter((id) => id !== manifest.dumpId);
    if (others.length > 0) {
      if (!options.restart) {
        throw new PgmyError('target-not-empty', `Database ${database} holds a load of another dump (${others.join(', ')}); this dump is ${manifest.dumpId}.`, {
          hint: 'Load into another database, or pass --restart to drop the tables of this dump and start over.',
        });
      }
      // pgmy's own tables are dropped and made again; a framework's (--data-only) are pgmy's to empty, not
      // to drop: forgetting the other load is enough, and --truncate then empties them.
      if (!options.dataOnly) for (const t of tables) await step(admin, `DROP TABLE IF EXISTS ${tableMy(t)}`, `dropping ${t.name}`);
      await journalClear(admin);
    }
    const matches = options.dataOnly
      ? await prepareDataOnly(admin, database, manifest.dumpId, tables, options)
      : undefined;
    if (!matches) {
      await createTables(admin, tables, {
        dumpId: manifest.dumpId, flavor: info.flavor, database, truncate: options.truncate ?? false,
        ...(manifest.target.textCollation !== undefined ? { collation: manifest.target.textCollation } : {}),
      });
    }

    const loaded = await journalItems(admin, manifest.dumpId, 'chunk');
    const queue: ChunkJob[] = [];
    for (const d of manifest.data) {
      const table = bySource.get(sourceKey(d));
      if (!table) throw new PgmyError('manifest', `The manifest's data names table ${sourceKey(d)}, which its schema does not define.`, { table: d.target });
      const m = matches?.get(sourceKey(d));
      const extra: Partial<ChunkJob> = m
        ? { statement: (file: string) => dataOnlyLoadSql(m, undefined, file), ...(needsRewrite(m) ? { transform: () => new FieldRewriter(m, d.target) } : {}) }
        : {};
      const onBytes = (bytes: number) => emit({ type: 'bytes', table: table.name, bytes });
      for (const chunk of d.chunks) if (!loaded.has(chunk.file)) queue.push({ table, chunk, onBytes, ...extra });
    }
    queue.sort((a, b) => b.chunk.bytes - a.chunk.bytes);
    const left = new Map<string, { table: string; chunks: number; bytes: number }>();
    for (const j of queue) {
      const e = left.get(j.table.name) ?? { table: j.table.name, chunks: 0, bytes: 0 };
      left.set(j.table.name, { table: e.table, chunks: e.chunks + 1, bytes: e.bytes + j.chunk.bytes });
    }
    emit({
      type: 'start', database, flavor: info.flavor, serverVersion: info.version, chunks: queue.length,
      bytes: queue.reduce((n, j) => n + j.chunk.bytes, 0), alreadyLoaded: loaded.size, tables: [...left.values()],
    });

    for (let i = 0; i < Math.min(jobs, Math.max(1, queue.length)); i++) workers.push(await openWorker(target, database, !matches));
    const chunksLoaded = queue.length;
    const timing = new Map<string, { start: number; end: number }>();
    const clock = () => (performance.now() - started) / 1000;
    const timed = (name: string) => {
      const t = timing.get(name);
      return t ? { startSecond: t.start, seconds: t.end - t.start } : {};
    };
    await inParallel(workers, queue, async (conn, job) => {
      const t = timing.get(job.table.name) ?? { start: clock(), end: 0 };
      timing.set(job.table.name, t);
      await (method === 'insert' ? insertChunk : loadChunk)(conn, dir, manifest.dumpId, job);
      t.end = clock();
      emit({ type: 'chunk-done', table: job.table.name, chunk: job.chunk });
      const l = left.get(job.table.name);
      if (l && --l.chunks === 0) emit({ type: 'table-done', table: job.table.name });
    });

    if (matches) {
      // A framework made the schema: pgmy only checks the foreign keys and moves the AUTO_INCREMENTs on.
      const orphans = await findOrphans(admin, database, [...matches.values()].map((m) => m.targetName));
      if (orphans.length > 0) throw orphanError(orphans);
      await continueSequences(admin, [...matches.values()]);
      await journalAdd(admin, manifest.dumpId, 'done', 'load');
      return {
        database, flavor: info.flavor, serverVersion: info.version,
        tables: manifest.data.map((d) => ({ name: matches.get(sourceKey(d))?.targetName ?? d.target, rows: d.rows, bytes: d.bytes, chunks: d.chunks.length, ...timed(d.target) })),
        chunksLoaded, chunksSkipped: loaded.size, seconds: (performance.now() - started) / 1000,
      };
    }
    const steps = await pendingSteps(admin, manifest.dumpId, postDataSteps(tables));
    for (const kind of ['indexes', 'foreign-keys', 'auto-increment'] as const) {
      await inParallel(workers.length > 0 ? workers : [admin], steps.filter((s) => s.kind === kind), async (conn, s) => {
        await runPostDataStep(conn, database, manifest.dumpId, s);
        emit({ type: 'post-data', kind: s.kind, table: s.table.name });
      });
    }
    await journalAdd(admin, manifest.dumpId, 'done', 'load');
    return {
      database, flavor: info.flavor, serverVersion: info.version,
      tables: manifest.data.map((d) => ({ name: d.target, rows: d.rows, bytes: d.bytes, chunks: d.chunks.length, ...timed(d.target) })),
      chunksLoaded, chunksSkipped: loaded.size, seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all([admin, ...workers].map((c) => c.end().catch(() => undefined)));
  }
}

async function openWorker(target: ReturnType<typeof myTarget>, database: string, ownSchema: boolean): Promise<MyConnection> {
  const conn = await connectMy(target, database);
  // pgmy's own tables get their unique indexes after the data (the primary key is still checked). A
  // framework's tables have theirs already: with unique_checks on, a duplicate is a warning that names the
  // key, rather than MariaDB's bulk-insert failing at COMMIT with "error 1".
  await step(conn, `SET SESSION foreign_key_checks = 0, unique_checks = ${ownSchema ? 0 : 1}`, 'preparing a load session');
  return conn;
}

/** Runs the jobs on the connections, one at a time each; the first failure stops new jobs being taken. */
async function inParallel<T>(conns: readonly MyConnection[], jobs: readonly T[], work: (c: MyConnection, job: T) => Promise<void>): Promise<void> {
  const queue = [...jobs];
  let failed: { err: unknown } | undefined;
  await Promise.all(conns.map(async (conn) => {
    for (let job = queue.shift(); job !== undefined && !failed; job = queue.shift()) {
      try {
        await work(conn, job);
      } catch (err) {
        failed ??= { err };
      }
    }
  }));
  if (failed) throw failed.err;
}

/** A complete dump whose every chunk is there with its recorded size: nothing is loaded from anything less. */
async function loadableDump(folder: string): Promise<{ dir: string; manifest: Manifest }> {
  const dir = resolve(folder);
  const manifest = await readManifest(dir);
  if (!manifest.complete) {
    throw new PgmyError('manifest', `The dump in ${dir} is not complete: its dump stopped before the end.`, {
      hint: 'Run the same `pgmy dump` command again to finish it, then load.',
    });
  }
  await checkChunkFiles(dir, manifest.data.flatMap((d) => d.chunks));
  return { dir, manifest };
}

function localInfileOff(info: { flavor: ServerFlavor }, target: ReturnType<typeof myTarget>): PgmyError {
  return new PgmyError('local-infile-disabled', `${info.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} at ${describeTarget(target)} has local_infile switched off, so LOAD DATA LOCAL INFILE cannot run.`, {
    hint: 'Run SET GLOBAL local_infile = 1 as an administrator (or set local_infile=1 in the server\'s configuration), or load with --method insert (slower, same result).',
  });
}

/** Every chunk must be there with its recorded size before anything is loaded. */
async function checkChunkFiles(dir: string, chunks: readonly ChunkRecord[]): Promise<void> {
  for (const c of chunks) {
    const path = resolve(dir, c.file);
    const s = await stat(path).catch(() => undefined);
    if (!s) {
      throw new PgmyError('chunk-missing', `Chunk ${path} is missing; nothing was loaded.`, {
        chunk: c.file, hint: 'The dump folder is incomplete: copy it again from where it was made, or dump again.',
      });
    }
    if (s.size !== c.bytes) {
      throw new PgmyError('chunk-corrupt', `Chunk ${path} has ${s.size} bytes where the manifest records ${c.bytes} (truncated or changed); nothing was loaded.`, {
        chunk: c.file, hint: 'Copy the dump folder again from where it was made, or dump again.',
      });
    }
  }
}

async function step(conn: MyConnection, sql: string, what: string): Promise<void> {
  try {
    await conn.query(sql);
  } catch (err) {
    throw myQueryError(err, what);
  }
}


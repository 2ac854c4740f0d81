import type { ChunkRecord, Manifest, TableData } from '../model/dump-format/manifest.js';
import { sourceKey, type TargetTable } from '../model/target.js';
import { PgmyError, interrupted } from '../errors.js';
import { connectMy, myQueryError, myTarget, serverInfo, type MyConnection, type ServerInfo } from '../target/mysql/connect.js';
import { createDatabaseSql } from '../target/mysql/ddl.js';
import { ensureJournal, journalAdd, journalClear, journalDumpIds, journalItems, JOURNAL_TABLE } from '../target/mysql/journal.js';
import { dropClaims, lockDatabase } from '../target/mysql/claims.js';
import { quoteMy } from '../target/mysql/quote.js';
import { localInfileOff } from './checks.js';
import { inParallel } from './in-parallel.js';
import { insertChunk } from './insert-chunk.js';
import { loadChunk, type ChunkJob } from './load-chunk.js';
import type { LoadOptions, LoadResult } from './options.js';
import { resetStaleTables } from './stale.js';
import { ExistingSchema } from './target/existing-schema.js';
import type { LoadTarget } from './target/load-target.js';
import { OwnSchema } from './target/own-schema.js';
import { DEFAULTS, defaultJobs } from '../defaults.js';

/** Where chunks come from: a list (a finished dump) or a queue fed while the dump runs (migrate). */
export interface ChunkSource {
  next(): Promise<{ readonly data: TableData; readonly chunk: ChunkRecord } | undefined>;
  /** How many chunks it will hand out, when known (no more load sessions are opened than that). */
  readonly size?: number;
}

interface Opened {
  readonly admin: MyConnection;
  readonly info: ServerInfo;
  readonly database: string;
  readonly target: LoadTarget;
  /** Chunks this dump's journal holds, loaded before this run. */
  readonly loaded: ReadonlySet<string>;
}

/**
 * One load into one target: opened against the dump's manifest (complete, or for migrate the first one,
 * which already holds the whole schema), it creates the databases and journal, has its LoadTarget make or
 * check the tables, empties tables whose chunks were dumped again, then loads chunks on `jobs` sessions as a
 * source hands them over, and finally has the target build what comes after the data. Closing ends every
 * connection.
 */
export class LoadSession {
  private readonly workers: MyConnection[] = [];
  private readonly timing = new Map<string, { start: number; end: number }>();
  private readonly started = performance.now();
  private readonly bySource: ReadonlyMap<string, TargetTable>;
  private chunksLoaded = 0;
  readonly info: ServerInfo;
  readonly database: string;
  readonly loaded: ReadonlySet<string>;
  readonly dumpId: string;

  private constructor(private readonly options: LoadOptions, private readonly manifest: Manifest, private readonly opened: Opened) {
    this.info = opened.info;
    this.database = opened.database;
    this.loaded = opened.loaded;
    this.dumpId = manifest.dumpId;
    this.bySource = new Map(manifest.target.tables.map((t) => [sourceKey(t), t]));
  }

  static async open(options: LoadOptions, manifest: Manifest): Promise<LoadSession> {
    const url = myTarget(options.target, options.targetPassword);
    const database = url.database;
    const admin = await connectMy(url, undefined, stall(options));
    let unlock: (() => Promise<void>) | undefined;
    try {
      // Loaders sharing the dump set the target up one at a time: the first creates, the others find it made.
      unlock = await lockDatabase(admin, database, 'setup');
      const info = await serverInfo(admin);
      if ((options.method ?? DEFAULTS.method) === 'infile' && !info.localInfile) throw localInfileOff(info, url);
      const target: LoadTarget = options.dataOnly
        ? new ExistingSchema(manifest, database, options)
        : new OwnSchema(manifest, info, database, options.truncate ?? false);
      await openDatabase(admin, manifest, database, info);
      await forgetOtherDumps(admin, manifest, database, target, options.restart ?? false);
      await target.prepare(admin);
      if (options.command === 'migrate') await journalAdd(admin, manifest.dumpId, 'mode', 'by=migrate');
      const { reset, loaded } = await resetStaleTables(admin, manifest.dumpId, manifest.data, (d) => target.emptying(d));
      for (const table of reset) options.onEvent?.({ type: 'reset', table });
      await unlock();
      return new LoadSession(options, manifest, { admin, info, database, target, loaded });
    } catch (err) {
      await admin.end().catch(() => undefined);
      throw err;
    }
  }

  /** How to load one chunk of a dumped table. */
  job(d: TableData, chunk: ChunkRecord): ChunkJob {
    const table = this.bySource.get(sourceKey(d));
    if (!table) throw new PgmyError('manifest', `The manifest's data names table ${sourceKey(d)}, which its schema does not define.`, { table: d.target });
    const emit = this.options.onEvent ?? (() => undefined);
    return this.opened.target.job(table, d, chunk, (bytes: number) => emit({ type: 'bytes', table: table.name, bytes }));
  }

  /** Loads what the source hands over on up to `jobs` sessions; the first failure stops the others taking more. */
  async run(source: ChunkSource, onChunkDone?: (job: ChunkJob) => void): Promise<void> {
    const jobs = Math.max(1, Math.min(this.options.jobs ?? defaultJobs(), source.size ?? Infinity));
    const emit = this.options.onEvent ?? (() => undefined);
    const url = myTarget(this.options.target, this.options.targetPassword);
    while (this.workers.length < jobs) this.workers.push(await openWorker(url, this.database, this.opened.target.uniqueChecks, stall(this.options)));
    const load = (this.options.method ?? DEFAULTS.method) === 'insert' ? insertChunk : loadChunk;
    const take = async () => {
      if (this.options.signal?.aborted) throw interrupted();
      const next = await source.next();
      return next && this.job(next.data, next.chunk);
    };
    await inParallel(this.workers.slice(0, jobs), take, async (conn, job) => {
      const t = this.timing.get(job.table.name) ?? { start: this.clock(), end: 0 };
      this.timing.set(job.table.name, t);
      // A chunk another loader (or an earlier run) loaded is found in the journal and not counted.
      const loaded = await load(conn, this.options.dir, this.manifest.dumpId, job);
      t.end = this.clock();
      if (loaded) this.chunksLoaded++;
      emit({ type: 'chunk-done', table: job.table.name, chunk: job.chunk });
      onChunkDone?.(job);
    });
  }

  /** A connection of its own to the target database (for the chunk claims). */
  async side(): Promise<MyConnection> {
    return connectMy(myTarget(this.options.target, this.options.targetPassword), this.database, stall(this.options));
  }

  /**
   * After the data: what the target still needs; then the journal says the load is done. Of loaders sharing
   * the dump, one builds it while the others wait, then find it done.
   */
  async finish(manifest: Manifest, partial = false): Promise<LoadResult> {
    if (!manifest.complete) throw new Error('finish() needs the complete manifest');
    const { admin, target } = this.opened;
    const unlock = await lockDatabase(admin, this.database, 'post-data');
    if (partial || !(await journalItems(admin, manifest.dumpId, 'done')).has('load')) {
      await target.finish(admin, this.workers, this.options.onEvent ?? (() => undefined), this.options.signal);
      // A load of some tables (--tables) is journaled as such: the load of the dump is not done.
      await journalAdd(admin, manifest.dumpId, 'done', partial ? `tables=${manifest.data.map((d) => d.target).join(',')}` : 'load');
    }
    await dropClaims(admin);
    await unlock();
    return {
      database: this.database, flavor: this.info.flavor, serverVersion: this.info.version,
      tables: manifest.data.map((d) => {
        const t = this.timing.get(d.target);
        return { name: target.tableName(d), rows: d.rows, bytes: d.bytes, chunks: d.chunks.length, ...(t ? { startSecond: t.start, seconds: t.end - t.start } : {}) };
      }),
      chunksLoaded: this.chunksLoaded, chunksSkipped: this.loaded.size, seconds: this.clock(),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.opened.admin, ...this.workers].map((c) => c.end().catch(() => undefined)));
  }

  private clock(): number {
    return (performance.now() - this.started) / 1000;
  }
}

/** The target databases (created when missing) and the journal, with the admin session in the URL's database. */
async function openDatabase(admin: MyConnection, manifest: Manifest, database: string, info: ServerInfo): Promise<void> {
  for (const db of new Set([database, ...manifest.target.tables.flatMap((t) => (t.database !== undefined ? [t.database] : []))])) {
    await step(admin, createDatabaseSql(db, info.flavor), `creating database ${db}`);
  }
  await step(admin, `USE ${quoteMy(database)}`, `using database ${database}`);
  await step(admin, 'SET SESSION foreign_key_checks = 0', 'preparing the session');
  await ensureJournal(admin).catch((err: unknown) => { throw myQueryError(err, `creating the journal table ${JOURNAL_TABLE}`); });
}

/** Refuses a database holding another dump's load, unless --restart, which forgets it. */
async function forgetOtherDumps(admin: MyConnection, manifest: Manifest, database: string, target: LoadTarget, restart: boolean): Promise<void> {
  const others = (await journalDumpIds(admin)).filter((id) => id !== manifest.dumpId);
  if (others.length === 0) return;
  if (!restart) {
    throw new PgmyError('target-not-empty', `Database ${database} holds a load of another dump (${others.join(', ')}); this dump is ${manifest.dumpId}.`, {
      hint: 'Load into another database, or pass --restart to drop the tables of this dump and start over.',
    });
  }
  await target.forgetOtherLoad(admin);
  await journalClear(admin);
}

/** The chunks of a finished dump not yet loaded, biggest first. */
export function listSource(manifest: Manifest, loaded: ReadonlySet<string>): ChunkSource & { readonly items: ReadonlyArray<{ data: TableData; chunk: ChunkRecord }>; readonly size: number; readonly bytes: number; readonly perTable: Map<string, { table: string; chunks: number; bytes: number }> } {
  const items = manifest.data.flatMap((data) => data.chunks.filter((c) => !loaded.has(c.file)).map((chunk) => ({ data, chunk })));
  items.sort((a, b) => b.chunk.bytes - a.chunk.bytes);
  const perTable = new Map<string, { table: string; chunks: number; bytes: number }>();
  for (const { data, chunk } of items) {
    const e = perTable.get(data.target) ?? { table: data.target, chunks: 0, bytes: 0 };
    e.chunks++;
    e.bytes += chunk.bytes;
    perTable.set(data.target, e);
  }
  return {
    items: [...items], size: items.length, bytes: items.reduce((n, i) => n + i.chunk.bytes, 0), perTable,
    next: () => Promise.resolve(items.shift()),
  };
}

/** The watchdog's timeout, when the caller chose one. */
const stall = (o: LoadOptions): { stallSeconds?: number; signal?: AbortSignal } => ({
  ...(o.stallTimeout !== undefined ? { stallSeconds: o.stallTimeout } : {}), ...(o.signal ? { signal: o.signal } : {}),
});

async function openWorker(target: ReturnType<typeof myTarget>, database: string, uniqueChecks: boolean, s: { stallSeconds?: number; signal?: AbortSignal }): Promise<MyConnection> {
  const conn = await connectMy(target, database, s);
  await step(conn, `SET SESSION foreign_key_checks = 0, unique_checks = ${uniqueChecks ? 1 : 0}`, 'preparing a load session');
  return conn;
}

export async function step(conn: MyConnection, sql: string, what: string): Promise<void> {
  try {
    await conn.query(sql);
  } catch (err) {
    throw myQueryError(err, what);
  }
}

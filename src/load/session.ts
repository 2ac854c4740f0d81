import { availableParallelism } from 'node:os';
import { connectMy, myQueryError, myTarget, serverInfo, type MyConnection, type ServerInfo } from '../target/mysql/connect.js';
import { quoteMy, tableMy } from '../target/mysql/quote.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';
import type { Manifest, TableData } from '../model/dump-format/manifest.js';
import { PgmyError } from '../errors.js';
import { createDatabaseSql } from '../target/mysql/ddl.js';
import { sourceKey, type TargetTable } from '../model/target.js';
import { createTables } from './create-tables.js';
import { continueSequences, findOrphans, orphanError } from './data-only/after-load.js';
import type { TableMatch } from '../mapping/data-only/match.js';
import { prepareDataOnly } from './data-only/prepare.js';
import { dataOnlyLoadSql, FieldRewriter, needsRewrite } from './data-only/statement.js';
import { insertChunk } from './insert-chunk.js';
import { ensureJournal, journalAdd, journalClear, journalDumpIds, JOURNAL_TABLE } from '../target/mysql/journal.js';
import { loadChunk, type ChunkJob } from './load-chunk.js';
import { pendingSteps, postDataSteps, runPostDataStep } from './post-data.js';
import { resetStaleTables } from './stale.js';
import type { LoadOptions, LoadResult } from './options.js';
import { localInfileOff } from './checks.js';

/** Where chunks come from: a list (a finished dump) or a queue fed while the dump runs (migrate). */
export interface ChunkSource {
  next(): Promise<{ readonly data: TableData; readonly chunk: ChunkRecord } | undefined>;
  /** How many chunks it will hand out, when known (no more load sessions are opened than that). */
  readonly size?: number;
}

/**
 * One load into one target: opened against the dump's manifest (complete, or for migrate the first one,
 * which already holds the whole schema), it creates the databases, journal and tables, empties tables whose
 * chunks were dumped again, then loads chunks on `jobs` sessions as a source hands them over, and finally
 * builds what comes after the data. Closing ends every connection.
 */
export class LoadSession {
  private readonly workers: MyConnection[] = [];
  private readonly timing = new Map<string, { start: number; end: number }>();
  private readonly started = performance.now();
  private chunksLoaded = 0;

  private constructor(
    private readonly options: LoadOptions,
    private readonly admin: MyConnection,
    readonly info: ServerInfo,
    readonly database: string,
    private readonly dumpId: string,
    private readonly bySource: ReadonlyMap<string, TargetTable>,
    private readonly matches: ReadonlyMap<string, TableMatch> | undefined,
    /** Chunks this dump's journal holds, loaded before this run. */
    readonly loaded: ReadonlySet<string>,
  ) {}

  static async open(options: LoadOptions, manifest: Manifest): Promise<LoadSession> {
    const target = myTarget(options.target, options.targetPassword);
    const database = target.database;
    const tables = manifest.target.tables;
    const emit = options.onEvent ?? (() => undefined);
    const admin = await connectMy(target);
    try {
      const info = await serverInfo(admin);
      if ((options.method ?? 'infile') === 'infile' && !info.localInfile) throw localInfileOff(info, target);
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
      const matches = options.dataOnly ? await prepareDataOnly(admin, database, manifest.dumpId, tables, options) : undefined;
      if (!matches) {
        await createTables(admin, tables, {
          dumpId: manifest.dumpId, flavor: info.flavor, database, truncate: options.truncate ?? false,
          ...(manifest.target.textCollation !== undefined ? { collation: manifest.target.textCollation } : {}),
        });
      }
      const bySource = new Map(tables.map((t) => [sourceKey(t), t]));
      const { reset, loaded } = await resetStaleTables(admin, manifest.dumpId, manifest.data, (d) => {
        const m = matches?.get(sourceKey(d));
        if (m) return { name: m.targetName, emptySql: `DELETE FROM ${quoteMy(m.targetName)}`, transactional: true };
        const t = bySource.get(sourceKey(d));
        return { name: d.target, emptySql: t ? `TRUNCATE TABLE ${tableMy(t)}` : 'DO 0', transactional: false };
      });
      for (const table of reset) emit({ type: 'reset', table });
      return new LoadSession(options, admin, info, database, manifest.dumpId, bySource, matches, loaded);
    } catch (err) {
      await admin.end().catch(() => undefined);
      throw err;
    }
  }

  /** How to load one chunk of a dumped table: the table pgmy made, or the framework's with conversions. */
  job(d: TableData, chunk: ChunkRecord): ChunkJob {
    const table = this.bySource.get(sourceKey(d));
    if (!table) throw new PgmyError('manifest', `The manifest's data names table ${sourceKey(d)}, which its schema does not define.`, { table: d.target });
    const emit = this.options.onEvent ?? (() => undefined);
    const onBytes = (bytes: number) => emit({ type: 'bytes', table: table.name, bytes });
    const m = this.matches?.get(sourceKey(d));
    if (!m) return { table, chunk, onBytes };
    return {
      table, chunk, onBytes, statement: (file: string) => dataOnlyLoadSql(m, undefined, file),
      ...(needsRewrite(m) ? { transform: () => new FieldRewriter(m, d.target) } : {}),
    };
  }

  /** Loads what the source hands over on up to `jobs` sessions; the first failure stops the others taking more. */
  async run(source: ChunkSource, onChunkDone?: (job: ChunkJob) => void): Promise<void> {
    const jobs = Math.max(1, Math.min(this.options.jobs ?? availableParallelism(), source.size ?? Infinity));
    const emit = this.options.onEvent ?? (() => undefined);
    const target = myTarget(this.options.target, this.options.targetPassword);
    while (this.workers.length < jobs) this.workers.push(await openWorker(target, this.database, !this.matches));
    const load = (this.options.method ?? 'infile') === 'insert' ? insertChunk : loadChunk;
    const take = async () => {
      const next = await source.next();
      return next && this.job(next.data, next.chunk);
    };
    await inParallel(this.workers.slice(0, jobs), take, async (conn, job) => {
      const t = this.timing.get(job.table.name) ?? { start: this.clock(), end: 0 };
      this.timing.set(job.table.name, t);
      await load(conn, this.options.dir, this.dumpId, job);
      t.end = this.clock();
      this.chunksLoaded++;
      emit({ type: 'chunk-done', table: job.table.name, chunk: job.chunk });
      onChunkDone?.(job);
    });
  }

  /** After the data: foreign-key orphans and AUTO_INCREMENTs (--data-only), or indexes, foreign keys, AUTO_INCREMENT. */
  async finish(manifest: Manifest): Promise<LoadResult> {
    if (!manifest.complete) throw new Error('finish() needs the complete manifest');
    const emit = this.options.onEvent ?? (() => undefined);
    if (this.matches) {
      // A framework made the schema: pgmy only checks the foreign keys and moves the AUTO_INCREMENTs on.
      const orphans = await findOrphans(this.admin, this.database, [...this.matches.values()].map((m) => m.targetName));
      if (orphans.length > 0) throw orphanError(orphans);
      await continueSequences(this.admin, [...this.matches.values()]);
    } else {
      const steps = await pendingSteps(this.admin, this.dumpId, postDataSteps(manifest.target.tables));
      for (const kind of ['indexes', 'foreign-keys', 'auto-increment'] as const) {
        const ofKind = steps.filter((s) => s.kind === kind);
        await inParallel(this.workers.length > 0 ? this.workers : [this.admin], () => ofKind.shift(), async (conn, s) => {
          await runPostDataStep(conn, this.database, this.dumpId, s);
          emit({ type: 'post-data', kind: s.kind, table: s.table.name });
        });
      }
    }
    await journalAdd(this.admin, this.dumpId, 'done', 'load');
    return {
      database: this.database, flavor: this.info.flavor, serverVersion: this.info.version,
      tables: manifest.data.map((d) => {
        const name = this.matches?.get(sourceKey(d))?.targetName ?? d.target;
        const t = this.timing.get(d.target);
        return { name, rows: d.rows, bytes: d.bytes, chunks: d.chunks.length, ...(t ? { startSecond: t.start, seconds: t.end - t.start } : {}) };
      }),
      chunksLoaded: this.chunksLoaded, chunksSkipped: this.loaded.size, seconds: this.clock(),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.admin, ...this.workers].map((c) => c.end().catch(() => undefined)));
  }

  private clock(): number {
    return (performance.now() - this.started) / 1000;
  }
}

/** The chunks of a finished dump not yet loaded, biggest first. */
export function listSource(manifest: Manifest, loaded: ReadonlySet<string>): ChunkSource & { readonly size: number; readonly bytes: number; readonly perTable: Map<string, { table: string; chunks: number; bytes: number }> } {
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
    size: items.length, bytes: items.reduce((n, i) => n + i.chunk.bytes, 0), perTable,
    next: () => Promise.resolve(items.shift()),
  };
}

async function openWorker(target: ReturnType<typeof myTarget>, database: string, ownSchema: boolean): Promise<MyConnection> {
  const conn = await connectMy(target, database);
  // pgmy's own tables get their unique indexes after the data (the primary key is still checked). A
  // framework's tables have theirs already: with unique_checks on, a duplicate is a warning that names the
  // key, rather than MariaDB's bulk-insert failing at COMMIT with "error 1".
  await step(conn, `SET SESSION foreign_key_checks = 0, unique_checks = ${ownSchema ? 0 : 1}`, 'preparing a load session');
  return conn;
}

/**
 * Runs `work` on the connections, each taking the next item when it is free, until `take` has none left;
 * the first failure (of `take` or `work`) stops new items being taken, and is thrown once all have stopped.
 */
async function inParallel<T>(conns: readonly MyConnection[], take: () => Promise<T | undefined> | T | undefined, work: (c: MyConnection, item: T) => Promise<void>): Promise<void> {
  let failed: { err: unknown } | undefined;
  await Promise.all(conns.map(async (conn) => {
    while (!failed) {
      try {
        const item = await take();
        if (item === undefined) return;
        await work(conn, item);
      } catch (err) {
        failed ??= { err };
      }
    }
  }));
  if (failed) throw failed.err;
}

export async function step(conn: MyConnection, sql: string, what: string): Promise<void> {
  try {
    await conn.query(sql);
  } catch (err) {
    throw myQueryError(err, what);
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Codec } from '../compression/codec.js';
import { ensureZstd } from '../compression/zstd-process.js';
import type { Catalog } from '../model/catalog.js';
import { makePlan } from '../plan/plan.js';
import type { UnrepresentablePolicy } from '../mapping/scan-model.js';
import { connectPg, pgQueryError, pgTarget, type PgClient } from '../source/postgres/connect.js';
import { quotePgQualified } from '../source/postgres/quote.js';
import { redactUrl } from '../connection/url.js';
import { PgmyError } from '../errors.js';
import { postDataScript, schemaScript } from '../target/mysql/ddl.js';
import { sourceKey, type ServerFlavor, type TargetSchema, type TargetTable } from '../model/target.js';
import { blockersError } from '../mapping/blockers.js';
import { VERSION } from '../version.js';
import { CoalescingWriter } from './coalescing-writer.js';
import { writeFileAtomic as writeFile } from '../files/fs-durable.js';
import { dumpTable, tableRelDir } from './dump-table.js';
import { rowOrders, type RowOrder } from '../source/postgres/row-order.js';
import { partCount, partPrefix, partWhere, planSplit, type Split } from '../source/postgres/split.js';
import { FORMAT, FORMAT_VERSION, MANIFEST_FILE, writeManifest, type Manifest, type TableData } from '../model/dump-format/manifest.js';
import { writeError } from '../files/io-error.js';
import { writeReportSection } from '../report/section.js';
import { reusableTables } from './resume.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
/** The least time between two writes of the manifest while tables finish. */
const MANIFEST_SPACING_MS = 100;

export type DumpEvent =
  | { type: 'start'; tables: number; estimatedBytes: number; reused: number }
  /** A table, or one key-range part of it, begins; estimatedBytes is the whole table's estimate. */
  | { type: 'table-start'; table: string; estimatedBytes: number; part?: number }
  /** A chunk file is complete on disk (fsynced, final name); `source` is its table's schema.name. */
  | { type: 'chunk'; table: string; source: string; chunk: ChunkRecord }
  /** Bytes and rows written so far, as they go (many per chunk; for progress displays). */
  | { type: 'bytes'; table: string; bytes: number; rows: number }
  | { type: 'table-done'; table: string; data: TableData; reused: boolean };

export interface DumpOptions {
  readonly source: string;
  readonly out: string;
  readonly schemas?: readonly string[];
  readonly tables?: readonly string[];
  readonly excludeTables?: readonly string[];
  readonly jobs?: number;
  readonly chunkSize?: number;
  /** How chunk files are stored (--compress); plain TSV by default. */
  readonly compress?: Codec;
  /** What to do with values MySQL cannot hold (found by scanning the source first): refuse by default. */
  readonly onUnrepresentable?: UnrepresentablePolicy;
  /** Source schema → MySQL database (see MapOptions.schemaMap). */
  readonly schemaMap?: ReadonlyMap<string, string>;
  readonly textCollation?: string;
  /** `[schema.]table.column` → MySQL type the user chose (--cast). */
  readonly casts?: ReadonlyMap<string, string>;
  /** `[schema.]table` → MySQL table name (--rename). */
  readonly renames?: ReadonlyMap<string, string>;
  /** Skip the scan; such values then fail the load of their chunk instead. */
  readonly skipScan?: boolean;
  /** Which server the schema.sql / post-data.sql files are written for (load renders its own). */
  readonly targetFlavor?: ServerFlavor;
  readonly onEvent?: (e: DumpEvent) => void;
  /** Called once the first manifest (the whole schema, the tables kept from an earlier run) is on disk. */
  readonly onStarted?: (manifest: Manifest) => void;
  /** Stops the dump: no new table is started and the COPYs under way are cut off; the dump then fails. */
  readonly signal?: AbortSignal;
}

export interface DumpResult {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly seconds: number;
}

/**
 * Dumps the source into `out`: schema.sql, post-data.sql, one folder of chunk files per table and
 * manifest.json, which is marked complete last. All workers read one exported snapshot.
 */
export async function dump(options: DumpOptions): Promise<DumpResult> {
  const started = performance.now();
  const source = pgTarget(options.source);
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const planned = planOptionsFor(options);
  if (options.compress?.name === 'zstd') await ensureZstd('compressing chunks (--compress zstd)');
  const schemas = planned.schemas;
  const emit = options.onEvent ?? (() => undefined);

  const main = await connectPg(source, 'pgmy dump');
  const workers: PgClient[] = [main];
  try {
    const { snapshot, catalog, target } = await openSnapshot(main, planned);
    checkPlanned(catalog, target, schemas);

    await mkdir(options.out, { recursive: true, mode: 0o700 });
    const previous = await unfinishedDump(options.out);
    const reused = previous ? await reusableTables(options.out, previous, target) : new Map<string, TableData>();
    const flavor = options.targetFlavor ?? 'mysql';
    const writeFileAtomic = (path: string, data: string, dir: string) => guardIo(writeFile(path, data, dir), options.out);
    await writeFileAtomic(join(options.out, 'schema.sql'), schemaScript(target, flavor), options.out);
    // Cross-database references in the file name the URL's database as the source database is named.
    await writeFileAtomic(join(options.out, 'post-data.sql'), postDataScript(target, flavor, catalog.server.database), options.out);

    // Large tables are dumped in key-range or page-range parts (key ranges kept from an earlier run that split them).
    const splits: Array<Split | undefined> = [];
    for (const [i, t] of target.tables.entries()) {
      const prev = reused.get(sourceKey(t));
      const st = catalog.tables[i];
      splits.push(prev?.complete ? undefined : prev?.split ?? (st ? await planSplit(main, t, st, chunkSize, catalog.server.versionNum) : undefined));
    }
    const orders = await rowOrders(main, target.tables.map((t, i) => ({ t, split: splits[i] })));
    const tableData: TableData[] = [];
    for (const [i, t] of target.tables.entries()) {
      const prev = reused.get(sourceKey(t));
      if (prev?.complete) {
        tableData.push(prev);
        continue;
      }
      const split = splits[i];
      const order = prev?.order ?? (orders[i] as RowOrder);
      if (!split) {
        tableData.push({ ...emptyData(t), order });
        continue;
      }
      if (!prev) await rm(join(options.out, tableRelDir(t)), { recursive: true, force: true });
      const parts = Array.from({ length: partCount(split) }, (_, n) => {
        const kept = prev?.parts?.[n];
        return kept?.complete ? kept : { complete: false, rows: 0, bytes: 0, chunks: [] };
      });
      tableData.push(assemble({ ...emptyData(t), order, split: { ...split, bounds: [...split.bounds] } }, parts));
    }
    const keptSomething = tableData.some((d) => d.complete || (d.parts ?? []).some((p) => p.complete));

    const manifest: Manifest = {
      format: FORMAT, formatVersion: FORMAT_VERSION,
      dumpId: previous?.dumpId ?? randomUUID(),
      tool: { name: 'pgmy', version: VERSION },
      createdAt: previous?.createdAt ?? new Date().toISOString(),
      complete: false,
      source: {
        url: redactUrl(options.source), server: catalog.server, snapshotTime: snapshot.time,
        oneSnapshot: !keptSomething,
      },
      options: { schemas, tables: [...(options.tables ?? [])], excludeTables: [...(options.excludeTables ?? [])], chunkSize,
        ...(options.compress && options.compress.name !== 'none' ? { compress: options.compress } : {}) },
      target, catalog,
      data: tableData,
    };
    await guardIo(writeManifest(options.out, manifest), options.out);
    options.onStarted?.(manifest);
    emit({ type: 'start', tables: target.tables.length, estimatedBytes: catalog.tables.reduce((n, t) => n + t.estimatedBytes, 0), reused: tableData.filter((d) => d.complete).length });

    interface Work { readonly t: TargetTable; readonly index: number; readonly part?: number; readonly bytes: number }
    const todo: Work[] = [];
    for (const [index, t] of target.tables.entries()) {
      const d = tableData[index] as TableData;
      const estimated = catalog.tables[index]?.estimatedBytes ?? 0;
      if (d.complete) {
        emit({ type: 'table-done', table: t.name, data: d, reused: true });
      } else if (d.split && d.parts) {
        d.parts.forEach((p, part) => { if (!p.complete) todo.push({ t, index, part, bytes: estimated / (d.parts?.length ?? 1) }); });
      } else {
        todo.push({ t, index, bytes: estimated });
      }
    }
    todo.sort((a, b) => b.bytes - a.bytes);

    for (let i = 1; i < Math.min(jobs, todo.length); i++) workers.push(await joinSnapshot(source, snapshot.id));

    // Manifest writes coalesce: with many small tables, one write per table (the manifest holds the whole
    // catalog) took a third of the run. A kill loses at most the tables finished since the last write, which
    // a resumed dump redoes.
    const manifestWriter = new CoalescingWriter(() => guardIo(writeManifest(options.out, manifest), options.out), MANIFEST_SPACING_MS);
    const recording: Array<Promise<void>> = [];
    const save = (index: number, data: TableData): Promise<void> => {
      manifest.data[index] = data;
      return manifestWriter.request();
    };
    // When each table began and ended in this run (seconds from the start), for its time and the report's chart.
    const timing = new Map<number, { start: number; end?: number }>();
    const clock = () => (performance.now() - started) / 1000;
    let failed: unknown;
    const stop = () => {
      failed ??= new PgmyError('usage', 'The dump was stopped.');
      for (const w of workers) w.end().catch(() => undefined);
    };
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    const run = async (client: PgClient): Promise<void> => {
      for (let next = todo.shift(); next && failed === undefined; next = todo.shift()) {
        const { t, index, part } = next;
        const st = catalog.tables[index];
        if (!timing.has(index)) timing.set(index, { start: clock() });
        emit({ type: 'table-start', table: t.name, estimatedBytes: st?.estimatedBytes ?? next.bytes, ...(part !== undefined ? { part } : {}) });
        try {
          const before = manifest.data[index] as TableData;
          const split = before.split;
          const piece = await dumpTable(client, t, {
            outDir: options.out, chunkSize, partitioned: st?.kind === 'partitioned', orderByKey: before.order === 'key',
            ...(options.compress ? { codec: options.compress } : {}),
            ...(split && part !== undefined ? { part: { where: partWhere(split, part), prefix: partPrefix(part) } } : {}),
            onChunk: (chunk) => emit({ type: 'chunk', table: t.name, source: sourceKey(t), chunk }),
            onBytes: (bytes, rows) => emit({ type: 'bytes', table: t.name, bytes, rows }),
          });
          // Other parts of the same table may have finished meanwhile: read the entry again after the await.
          const current = manifest.data[index] as TableData;
          const assembled: TableData = part !== undefined && current.parts
            ? assemble(current, current.parts.map((p, n) => (n === part ? { complete: true, rows: piece.rows, bytes: piece.bytes, chunks: [...piece.chunks] } : p)))
            : { ...current, complete: true, rows: piece.rows, bytes: piece.bytes, chunks: [...piece.chunks] };
          const when = timing.get(index) as { start: number; end?: number };
          if (assembled.complete) when.end = clock();
          // A table in parallel parts took from its first part's start to its last part's end.
          const data: TableData = assembled.complete ? { ...assembled, seconds: (when.end ?? clock()) - when.start } : assembled;
          // Not awaited: the worker goes on to its next table while the manifest is written (see save).
          const recorded = save(index, data).then(() => { if (data.complete) emit({ type: 'table-done', table: t.name, data, reused: false }); });
          recorded.catch((err: unknown) => { failed ??= err; stop(); });
          recording.push(recorded);
        } catch (err) {
          failed ??= err;
          // Stop the other workers' COPYs at once: their parts will be redone by the next run.
          for (const w of workers) if (w !== client) w.end().catch(() => undefined);
        }
      }
    };
    await Promise.all(workers.map(run));
    await Promise.allSettled(recording);
    if (failed !== undefined) throw failed;

    manifest.complete = true;
    manifest.completedAt = new Date().toISOString();
    await manifestWriter.idle();
    await guardIo(writeManifest(options.out, manifest), options.out);
    const seconds = (performance.now() - started) / 1000;
    await guardIo(writeReportSection(options.out, 'dump', {
      startedAt: new Date(Date.now() - seconds * 1000).toISOString(), seconds, oneSnapshot: manifest.source.oneSnapshot,
      tables: manifest.data.map((d, i) => ({
        table: `${d.schema}.${d.name}`, target: d.target, rows: d.rows, bytes: d.bytes, chunks: d.chunks.length,
        ...(timing.get(i) ? { startSecond: timing.get(i)?.start } : { reused: true }),
        ...(d.seconds !== undefined ? { seconds: d.seconds, mbPerSec: d.bytes / 1e6 / Math.max(d.seconds, 1e-6) } : {}),
      })),
      notices: manifest.target.notices.filter((n) => n.level !== 'info'),
    }), options.out);
    return { dir: options.out, manifest, seconds };
  } finally {
    await Promise.all(workers.map((w) => w.query('ROLLBACK').catch(() => undefined).then(() => w.end()).catch(() => undefined)));
  }
}

/** What the dump plans with (catalog filters, scan, mapping choices), from its options; dump --dry-run plans the same. */
export function planOptionsFor(options: DumpOptions) {
  return {
    schemas: options.schemas && options.schemas.length > 0 ? [...options.schemas] : ['public'],
    tables: options.tables ?? [], excludeTables: options.excludeTables ?? [],
    scan: !options.skipScan, onUnrepresentable: options.onUnrepresentable ?? 'error',
    ...(options.schemaMap ? { schemaMap: options.schemaMap } : {}),
    ...(options.textCollation !== undefined ? { textCollation: options.textCollation } : {}),
    ...(options.casts ? { casts: options.casts } : {}), ...(options.renames ? { renames: options.renames } : {}),
  } satisfies Parameters<typeof makePlan>[1];
}

/** Refuses a plan with nothing to dump, or with something that cannot be carried, before anything is written. */
export function checkPlanned(catalog: Catalog, target: TargetSchema, schemas: readonly string[]): void {
  if (catalog.tables.length === 0) {
    throw new PgmyError('usage', `No tables to dump in schema${schemas.length > 1 ? 's' : ''} ${schemas.join(', ')} of ${catalog.server.database}.`, {
      hint: 'Check --schema, --tables and --exclude-tables.',
    });
  }
  const blockers = blockersError(target);
  if (blockers) throw blockers;
}

/** The interrupted dump in `out` to resume, if any; a complete one is refused. */
export async function unfinishedDump(out: string): Promise<Manifest | undefined> {
  const previous = await previousManifest(out);
  if (previous?.complete) {
    throw new PgmyError('usage', `${out} already holds a complete dump (${previous.dumpId}).`, {
      hint: 'Choose another --out, or remove that folder to dump again.',
    });
  }
  return previous;
}

/** Turns a failed write of the manifest, the report or the .sql files into a clear error (a full disk above all). */
async function guardIo<T>(p: Promise<T>, out: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw writeError(err, out) ?? err;
  }
}

/** A split table's entry from its parts: the complete parts' chunks in key order; complete when all are. */
function assemble(base: TableData, parts: NonNullable<TableData['parts']>): TableData {
  const done = parts.filter((p) => p.complete);
  return {
    ...base, parts, complete: parts.every((p) => p.complete),
    rows: done.reduce((n, p) => n + p.rows, 0), bytes: done.reduce((n, p) => n + p.bytes, 0),
    chunks: done.flatMap((p) => p.chunks),
  };
}

function emptyData(t: TargetTable): TableData {
  return { schema: t.sourceSchema, name: t.sourceName, target: t.name, complete: false, rows: 0, bytes: 0, chunks: [] };
}

interface Snapshot { readonly id: string; readonly time: string }

async function openSnapshot(client: PgClient, planOptions: Parameters<typeof makePlan>[1]): Promise<{ snapshot: Snapshot; catalog: Catalog; target: TargetSchema }> {
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const r = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const { catalog, target } = await makePlan(client, planOptions);
    // As pg_dump does: no table can be dropped or altered under the dump.
    for (const t of catalog.tables) await client.query(`LOCK TABLE ${quotePgQualified(t.schema, t.name)} IN ACCESS SHARE MODE`);
    const id = r.rows[0]?.id;
    if (!id) throw new Error('pg_export_snapshot() returned nothing');
    return { snapshot: { id, time: catalog.snapshotTime }, catalog, target };
  } catch (err) {
    throw pgQueryError(err, 'opening the snapshot and reading the catalog');
  }
}

async function joinSnapshot(source: ReturnType<typeof pgTarget>, snapshotId: string): Promise<PgClient> {
  const client = await connectPg(source, 'pgmy dump worker');
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshotId.replace(/'/g, "''")}'`);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgQueryError(err, 'joining the dump snapshot');
  }
  return client;
}

/** The manifest an earlier run left, if any; read loosely, since it is only used to reuse finished tables. */
export async function previousManifest(dir: string): Promise<Manifest | undefined> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (!entries.includes(MANIFEST_FILE)) {
    if (entries.length > 0 && !entries.every((e) => ['schema.sql', 'post-data.sql', 'data', 'report.json', 'schema.sql.partial', 'post-data.sql.partial', 'manifest.json.partial', 'report.json.partial'].includes(e))) {
      throw new PgmyError('usage', `${dir} is not empty and holds no pgmy dump.`, { hint: 'Choose an empty or new folder for --out.' });
    }
    return undefined;
  }
  try {
    const m = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m.format === FORMAT && m.formatVersion === FORMAT_VERSION ? m : undefined;
  } catch {
    return undefined;
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

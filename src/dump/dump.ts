import { randomUUID } from 'node:crypto';
import { ensureZstd } from '../compression/zstd-process.js';
import { targetUrl } from '../connection/url.js';
import type { Catalog } from '../model/catalog.js';
import { FORMAT, FORMAT_VERSION, ManifestParts, writeManifest, type Manifest, type TableData } from '../model/dump-format/manifest.js';
import { sha256Hex } from '../model/dump-format/sha256.js';
import type { TargetSchema } from '../model/target.js';
import { makePlan, type Plan, type PlanOptions } from '../plan/plan.js';
import { writeReportSection } from '../report/section.js';
import { closePg, connectPg, pgQueryError, pgTarget, type PgClient } from '../source/postgres/connect.js';
import { beginSnapshot, exportSnapshot, joinSnapshot, lockForRead } from '../source/postgres/snapshot.js';
import { postDataScript, schemaScript } from '../target/mysql/ddl.js';
import { openStore, useS3Settings } from '../files/stores.js';
import { GroupSync } from '../files/group-sync.js';
import { writeError } from '../files/io-error.js';
import { VERSION } from '../version.js';
import { CoalescingWriter } from './coalescing-writer.js';
import { DEFAULT_CHUNK_SIZE, type DumpOptions, type DumpResult, type DumpTableSize } from './options.js';
import { checkPlanned, defersChecks, planOptionsFor, refusal, valueGuards } from './planning.js';
import { GuardError } from './value-guard.js';
import { PgmyError } from '../errors.js';
import { reusableTables, unfinishedDump } from './resume.js';
import { runTables, type Timing } from './run-tables.js';
import { initialTableData } from './table-data.js';
import { DEFAULTS, defaultJobs } from '../defaults.js';
import { prepareOutFolder } from '../files/out-folder.js';

export { DEFAULT_CHUNK_SIZE, type DumpEvent, type DumpOptions, type DumpResult } from './options.js';

/**
 * The least time between two writes of the manifest while tables finish: a kill loses at most the tables
 * finished since the last write. 100 ms gave 12 writes of a 0.9 MB manifest in a 1 s dump of 200 small tables.
 */
const MANIFEST_SPACING_MS = 250;
/**
 * And at least this many times what the last write took (its JSON, sha256, write and fsync): the manifest
 * holds the whole catalog, 13 MB for 3000 tables, whose writes every 250 ms took a quarter of the dump.
 */
const MANIFEST_TOOK_FACTOR = 10;

/**
 * Dumps the source into `out`: schema.sql, post-data.sql, one folder of chunk files per table and
 * manifest.json, which is marked complete last. All workers read one exported snapshot.
 */
export async function dump(options: DumpOptions): Promise<DumpResult> {
  const started = performance.now();
  const clock = () => (performance.now() - started) / 1000;
  const source = pgTarget(options.source, options.sourcePassword);
  const planned = planOptionsFor(options);
  if (options.compress?.name === 'zstd') await ensureZstd('compressing chunks (--compress zstd)');
  const emit = options.onEvent ?? (() => undefined);
  const out = options.out;
  if (options.s3Endpoint !== undefined) useS3Settings({ endpoint: options.s3Endpoint });
  const io = <T>(p: Promise<T>) => guardIo(p, out);

  await prepareOutFolder(out);
  // The dump's sessions are its parallelism: no parallel workers of PostgreSQL's on top.
  const session = {
    ...(options.stallTimeout !== undefined ? { stallSeconds: options.stallTimeout } : {}), ...(options.signal ? { signal: options.signal } : {}),
    noParallelWorkers: true,
  };
  const main = await connectPg(source, 'pgmy dump', session);
  const workers: PgClient[] = [main];
  try {
    // 1. One snapshot: the catalog, the scan and the mapping; the tables locked against DDL.
    // The sessions that will COPY join the snapshot first: the scan runs on all of them.
    const jobs = Math.max(1, options.jobs ?? defaultJobs());
    const join = async (tables: number): Promise<PgClient[]> => {
      for (let i = workers.length; i < Math.min(jobs, tables); i++) workers.push(await joinSnapshot(source, snapshotId, 'pgmy dump worker', session));
      return workers.slice(1);
    };
    let snapshotId = '';
    const { catalog, target } = await openSnapshot(main, { ...planned, scanSessions: join, deferChecks: defersChecks(options) }, (id) => { snapshotId = id; });
    const guards = valueGuards(catalog, options);
    try {
      checkPlanned(catalog, target, planned.schemas);
    } catch (err) {
      // Refused before any COPY: with the value checks left to the COPYs, the whole scan lists every blocker.
      throw guards.size > 0 && err instanceof PgmyError && err.code === 'unsupported' ? await refusal(options, err, 'nothing was dumped') : err;
    }

    // 2. The folder: what an interrupted run left that can be kept, and the two .sql files.
    const previous = await unfinishedDump(out);
    const reused = previous ? await reusableTables(out, previous, target) : new Map<string, TableData>();
    const files = await io(writeSqlFiles(out, catalog, target, options));

    // 3. The first manifest: the whole schema and every table's entry (splits, row order, kept parts).
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const data = await initialTableData(main, catalog, target, reused, out, chunkSize);
    const parts = new ManifestParts();
    const manifest = { ...firstManifest(options, targetUrl('postgres', source), previous, catalog, target, data, chunkSize), files };
    await io(writeManifest(out, manifest, parts));
    options.onStarted?.(manifest);
    emit({
      type: 'start', tables: target.tables.length, estimatedBytes: catalog.tables.reduce((n, t) => n + t.estimatedBytes, 0), reused: data.filter((d) => d.complete).length,
      perTable: target.tables.map((t, i) => sizeAtStart(t.name, catalog.tables[i]?.estimatedBytes ?? 0, data[i] as TableData)),
    });

    // 4. The tables, on up to --jobs sessions of the snapshot.
    const manifestWriter = new CoalescingWriter(() => io(writeManifest(out, manifest, parts)), MANIFEST_SPACING_MS, undefined, MANIFEST_TOOK_FACTOR);
    const complete = (): void => {
      manifest.complete = true;
      manifest.completedAt = new Date().toISOString();
    };
    const timing = await runTables(main, workers, {
      source, snapshotId, catalog, manifest, manifestWriter, out, chunkSize, clock, emit, session, sync: new GroupSync(), jobs, guards, complete,
      ...(options.compress ? { codec: options.compress } : {}), ...(options.signal ? { signal: options.signal } : {}),
    }).catch(async (err: unknown) => {
      throw err instanceof GuardError ? await refusal(options, err) : err;
    });

    // 5. Complete: the manifest said so last (runTables' last write), then the report.
    await manifestWriter.idle();
    const seconds = clock();
    await io(writeDumpReport(out, manifest, timing, seconds));
    return { dir: out, manifest, seconds };
  } finally {
    await Promise.all(workers.map((w) => w.query('ROLLBACK').catch(() => undefined).then(() => closePg(w)).catch(() => undefined)));
  }
}

async function openSnapshot(client: PgClient, planOptions: PlanOptions, exported: (id: string) => void): Promise<Pick<Plan, 'catalog' | 'target'>> {
  try {
    await beginSnapshot(client);
    exported(await exportSnapshot(client));
    const plan = await makePlan(client, planOptions);
    await lockForRead(client, plan.catalog.tables);
    return plan;
  } catch (err) {
    throw pgQueryError(err, 'opening the snapshot and reading the catalog');
  }
}

/** Writes schema.sql and post-data.sql; their sha256 go into the manifest, which verify DIR and load check. */
async function writeSqlFiles(out: string, catalog: Catalog, target: TargetSchema, options: DumpOptions): Promise<Record<string, string>> {
  const flavor = options.targetFlavor ?? DEFAULTS.targetFlavor;
  const schema = schemaScript(target, flavor);
  const store = await openStore(out);
  await store.writeWhole('schema.sql', schema);
  // Cross-database references in the file name the URL's database as the source database is named.
  const postData = postDataScript(target, flavor, catalog.server.database);
  await store.writeWhole('post-data.sql', postData);
  return { 'schema.sql': sha256Hex(schema), 'post-data.sql': sha256Hex(postData) };
}

/** A table's size as the dump starts: exact when kept whole, else the estimate, with the bytes of parts kept from an earlier run. */
function sizeAtStart(table: string, estimated: number, d: TableData): DumpTableSize {
  if (d.complete) return { table, bytes: d.bytes, exact: true, kept: d.bytes, done: true, chunks: d.chunks.length };
  const kept = (d.parts ?? []).filter((p) => p.complete).reduce((n, p) => n + p.bytes, 0);
  const keptShare = d.parts?.length ? d.parts.filter((p) => p.complete).length / d.parts.length : 0;
  return { table, bytes: kept + estimated * (1 - keptShare), exact: false, kept, done: false };
}

function firstManifest(
  options: DumpOptions, sourceUrl: string, previous: Manifest | undefined, catalog: Catalog, target: TargetSchema, data: TableData[], chunkSize: number,
): Manifest {
  const keptSomething = data.some((d) => d.complete || (d.parts ?? []).some((p) => p.complete));
  return {
    format: FORMAT, formatVersion: FORMAT_VERSION,
    dumpId: previous?.dumpId ?? randomUUID(),
    tool: { name: 'pgmy', version: VERSION },
    createdAt: previous?.createdAt ?? new Date().toISOString(),
    complete: false,
    source: { url: sourceUrl, server: catalog.server, snapshotTime: catalog.snapshotTime, oneSnapshot: !keptSomething },
    options: {
      schemas: planOptionsFor(options).schemas, tables: [...(options.tables ?? [])], excludeTables: [...(options.excludeTables ?? [])], chunkSize,
      ...(options.compress && options.compress.name !== 'none' ? { compress: options.compress } : {}),
      ...(options.conventions !== undefined ? { conventions: options.conventions } : {}),
      ...(options.command === 'migrate' ? { command: 'migrate' as const } : {}),
    },
    target, catalog,
    data,
  };
}

function writeDumpReport(out: string, manifest: Manifest, timing: Timing, seconds: number): Promise<void> {
  return writeReportSection(out, 'dump', {
    startedAt: new Date(Date.now() - seconds * 1000).toISOString(), seconds, oneSnapshot: manifest.source.oneSnapshot,
    tables: manifest.data.map((d, i) => ({
      table: `${d.schema}.${d.name}`, target: d.target, rows: d.rows, bytes: d.bytes, chunks: d.chunks.length,
      ...(timing.get(i) ? { startSecond: timing.get(i)?.start } : { reused: true }),
      ...(d.seconds !== undefined ? { seconds: d.seconds, mbPerSec: d.bytes / 1e6 / Math.max(d.seconds, 1e-6) } : {}),
    })),
    notices: manifest.target.notices.filter((n) => n.level !== 'info'),
  }, manifest);
}

/** Turns a failed write of the manifest, the report or the .sql files into a clear error (a full disk above all). */
async function guardIo<T>(p: Promise<T>, out: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw writeError(err, out) ?? err;
  }
}

import type { Argv } from 'yargs';
import { formatBytes, parseSize, table, type Io } from '../output.js';
import { list, mappingOptions, planningOptions, prompted, wholeNumber } from '../args.js';
import { Progress, progressMode, withBars } from '../progress.js';
import { DEFAULTS, parseCodec, defaultSource, dump, DEFAULT_CHUNK_SIZE, type DumpEvent, type DumpResult, dumpDryRun, type DumpDryRun } from '../../index.js';

export const command = 'dump';
export const describe = 'Read a PostgreSQL database into a dump folder (TSV chunks, DDL, manifest.json)';

/** dump's options without its examples (migrate shows its own). */
export function options(y: Argv) {
  return planningOptions(y
    .option('source', { type: 'string', describe: 'postgres://user@host:5432/dbname or host=… dbname=… (password: ~/.pgpass, PGPASSWORD); default: from PGSERVICE, PGHOST, PGPORT, PGUSER, PGDATABASE' })
    .option('out', { type: 'string', demandOption: true, describe: 'Dump folder to write (created; re-running resumes)' }))
    .option('jobs', { type: 'string', coerce: wholeNumber('jobs', 1), describe: 'Parallel COPY sessions (default: number of cores)' })
    .option('chunk-size', { type: 'string', describe: 'Start a new chunk file after this many bytes of TSV (default: 64MiB)' })
    .option('compress', { type: 'string', describe: 'Store chunks compressed: none (default), gzip[:1-9] (built in) or zstd[:1-19] (needs the zstd program); load reads them as they are' })
    .option('stall-timeout', { type: 'string', default: String(DEFAULTS.stallSeconds), coerce: wholeNumber('stall-timeout', 1), describe: 'Seconds a server connection may make no progress with a query in flight before pgmy checks the session over a new connection and stops when the path is dead' })
    .option('json', { type: 'boolean', default: false, describe: 'Write progress and the result as one JSON object per line' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Plan and scan in one snapshot, check the output folder, and say what would be dumped; writes nothing' })
    .option('target-flavor', { choices: ['mysql', 'mariadb'] as const, describe: `Server the schema.sql/post-data.sql files are written for (default: ${DEFAULTS.targetFlavor}; migrate: the target's)` });
}

export function builder(y: Argv) {
  return options(y)
    .example('$0 dump --source postgres://app@db:5432/shop --out ./snap', 'Dump the public schema of shop into ./snap')
    .example('$0 dump --source postgres://app@db/shop --out ./snap --exclude-tables audit_log --jobs 4', 'Leave one table out, four sessions');
}

/** The options the dump takes, from the arguments (shared with migrate). */
export function dumpOptions(args: Awaited<ReturnType<typeof options>['argv']>) {
  return {
    ...prompted(args), source: args.source ?? defaultSource(), out: args.out, schemas: list(args.schema), tables: list(args.tables), excludeTables: list(args['exclude-tables']),
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
    ...(args['stall-timeout'] !== undefined ? { stallTimeout: args['stall-timeout'] } : {}),
    chunkSize: args['chunk-size'] ? parseSize(args['chunk-size']) : DEFAULT_CHUNK_SIZE,
    ...(args.compress !== undefined ? { compress: parseCodec(args.compress) } : {}),
    ...mappingOptions(args), ...(args['target-flavor'] !== undefined ? { targetFlavor: args['target-flavor'] } : {}), skipScan: args['skip-scan'],
  };
}

/** What `dump --dry-run` and `migrate --dry-run` found, for a person or (--json) a machine. */
export function printDryRun(d: DumpDryRun, args: { json?: boolean }, io: Io, quiet: boolean): void {
  if (args.json) {
    const t = d.report.target;
    io.out(JSON.stringify({ type: 'dry-run', out: d.out, folder: d.folder, dumpId: d.dumpId, estimatedBytes: d.estimatedBytes, tables: d.tables,
      notices: d.report.plan.target.notices, ...(t ? { target: { flavor: t.flavor, version: t.version, localInfile: t.localInfile, database: t.database, existingTables: t.existingTables } } : {}) }) + '\n');
    return;
  }
  if (quiet) return;
  io.out(`dry run: nothing was written. ${d.folder === 'new' ? `${d.out} would be a new dump` : `${d.out} holds the interrupted dump ${d.dumpId ?? ''}, which would be resumed`}\n`);
  io.out(table(['table', 'MySQL table', 'rows (estimate)', 'size in PostgreSQL', 'status'], d.tables.map((t) => [t.table, t.target, t.estimatedRows, formatBytes(t.estimatedBytes), t.kept ? 'kept from the earlier run' : 'would be dumped'])));
  for (const n of d.report.plan.target.notices.filter((x) => x.level === 'warning')) io.out(warningLine(n));
  io.out(`would dump ${d.tables.filter((t) => !t.kept).length} table(s), about ${formatBytes(d.estimatedBytes)} on disk in PostgreSQL (pgmy plan shows every column)\n`);
  const t = d.report.target;
  if (t) {
    io.out(`target: ${t.flavor} ${t.version}, database ${t.database}, local_infile ${t.localInfile ? 'on' : 'OFF (load would need --method insert)'}\n`);
    if (t.existingTables.length > 0) io.out(`tables that already exist in the target (a load refuses them if they hold rows, unless --truncate): ${t.existingTables.join(', ')}\n`);
  }
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io, quiet: boolean): Promise<number> {
  if (args['dry-run']) {
    printDryRun(await dumpDryRun(dumpOptions(args)), args, io, quiet);
    return 0;
  }
  const progress = new Progress(io, progressMode(args, io), 'dump');
  const result = await withBars(progress, () => dump({ ...dumpOptions(args), onEvent: dumpLogger(progress) }));
  const m = result.manifest;
  warningEvents(progress, m.target.notices);
  progress.event({ type: 'done', dumpId: m.dumpId, tables: m.data.length, rows: m.data.reduce((n, d) => n + d.rows, 0), bytes: m.data.reduce((n, d) => n + d.bytes, 0), seconds: result.seconds, oneSnapshot: m.source.oneSnapshot });
  if (!quiet && !args.json) printDumpSummary(result, io);
  return 0;
}

/** What the dump's events show: lines or JSON, and the frame (`prefix` labels its tables when a load runs alongside). */
export function dumpLogger(progress: Progress, prefix = ''): (e: DumpEvent) => void {
  const side = progress.model.side('dump');
  return (e) => {
    if (e.type === 'start') {
      side.start(e.perTable);
      const { perTable: _sizes, ...shown } = e;
      progress.event(shown, `dumping ${e.tables} tables, about ${formatBytes(e.estimatedBytes)} on disk in PostgreSQL${e.reused > 0 ? `, ${e.reused} kept from an earlier run` : ''}`);
    } else if (e.type === 'table-start') {
      side.tableStart(e.table, prefix + e.table);
    } else if (e.type === 'bytes') {
      side.advance(e.table, e.bytes, e.rows);
    } else if (e.type === 'table-done') {
      // A table kept whole from an earlier run was counted done at the start.
      if (!e.reused) side.tableDone(e.table);
      progress.event({ type: e.type, table: e.table, rows: e.data.rows, bytes: e.data.bytes, chunks: e.data.chunks.length, reused: e.reused },
        `dumped ${e.table}: ${e.data.rows} rows, ${formatBytes(e.data.bytes)}${e.reused ? ' (kept from the earlier run)' : ''}`);
    } else if (e.type === 'chunk') {
      progress.event({ type: e.type, table: e.table, file: e.chunk.file, rows: e.chunk.rows, bytes: e.chunk.bytes });
    }
    progress.update();
  };
}

/** The per-table summary and the last line of a dump. */
export function printDumpSummary(result: DumpResult, io: Io): void {
  const m = result.manifest;
  io.out(table(['table', 'rows', 'bytes', 'chunks', 'seconds', 'MB/s', 'warnings'], m.data.map((d) => [
    d.target, d.rows, formatBytes(d.bytes), d.chunks.length, d.seconds === undefined ? 'kept' : d.seconds.toFixed(2),
    d.seconds === undefined ? '' : (d.bytes / 1e6 / Math.max(d.seconds, 1e-3)).toFixed(1),
    m.target.notices.filter((n) => n.level === 'warning' && n.table === `${d.schema}.${d.name}`).length,
  ])));
  const warnings = m.target.notices.filter((n) => n.level === 'warning');
  for (const w of warnings) io.out(warningLine(w));
  io.out(`dump ${m.dumpId} complete in ${result.seconds.toFixed(1)} s: ${m.data.length} tables, ${m.data.reduce((n, d) => n + d.rows, 0)} rows, ${formatBytes(m.data.reduce((n, d) => n + d.bytes, 0))} in ${result.dir}${m.source.oneSnapshot ? '' : ' (resumed: tables come from more than one snapshot)'}\n`);
}

/** --json: each warning of the mapping as an event of its own, before `done`. */
export function warningEvents(progress: Progress, notices: ReadonlyArray<{ level: string; table?: string; column?: string; object?: string; message: string }>): void {
  for (const n of notices) {
    if (n.level !== 'warning') continue;
    progress.event({ type: 'warning', ...(n.table ? { table: n.table } : {}), ...(n.column ? { column: n.column } : {}), ...(n.object ? { object: n.object } : {}), message: n.message });
  }
}

/** One warning: where (table.column, or the object) when the notice says, then what. */
function warningLine(n: { table?: string; column?: string; object?: string; message: string }): string {
  const where = [n.table, n.column].filter(Boolean).join('.') || n.object;
  return `warning: ${where && !n.message.includes(where) ? `${where}: ` : ''}${n.message}\n`;
}

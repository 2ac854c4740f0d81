import type { Argv } from 'yargs';
import { formatBytes, table, type Io } from '../output.js';
import { list, prompted, wholeNumber } from '../args.js';
import { Progress, progressMode, withBars } from '../progress.js';
import { DEFAULTS, load, loadDryRun, type LoadEvent, type LoadResult } from '../../index.js';

export const command = 'load <dir>';
export const describe = 'Load a dump folder into MySQL/MariaDB (resumable: run it again after any interruption)';

/** The options that say how to load, shared with migrate. */
export function loadOptions<T>(y: Argv<T>) {
  return y
    .option('truncate', { type: 'boolean', default: false, describe: 'Replace target tables pgmy did not create (refused otherwise, empty or not); with --data-only, empty the tables first' })
    .option('stall-timeout', { type: 'string', default: String(DEFAULTS.stallSeconds), coerce: wholeNumber('stall-timeout', 1), describe: 'Seconds a server connection may make no progress with a statement in flight before pgmy checks the session over a new connection and stops when the path is dead (a long ALTER is waited for)' })
    .option('restart', { type: 'boolean', default: false, describe: 'Forget a load of another dump in this database and start over (its tables are dropped; with --data-only, emptied only with --truncate)' })
    .option('data-only', { type: 'boolean', default: false, describe: 'Load into tables that already exist (made by Django, Rails, Laravel…): no DDL, names matched, values converted to the target columns\' types' })
    .option('ignore-case', { type: 'boolean', default: false, describe: 'With --data-only: match table and column names without regard to case' })
    .option('allow-missing-columns', { type: 'boolean', default: false, describe: 'With --data-only: skip source columns the target lacks; target-only columns take their defaults' })
    .option('method', { choices: ['infile', 'insert'] as const, default: DEFAULTS.method, describe: 'LOAD DATA LOCAL INFILE, or multi-row INSERTs for servers with local_infile off' })
    .option('json', { type: 'boolean', default: false, describe: 'Write progress and the result as one JSON object per line' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Make every check and say what would be done, changing nothing' });
}

export function builder(y: Argv) {
  return loadOptions(y
    .positional('dir', { type: 'string', demandOption: true, describe: 'Dump folder written by pgmy dump' })
    .option('target', { type: 'string', demandOption: true, describe: 'mysql://user@host:3306/dbname (password: ~/.my.cnf, MYSQL_PWD); the database is created if missing' })
    .option('jobs', { type: 'string', coerce: wholeNumber('jobs', 1), describe: 'Parallel LOAD DATA sessions (default: number of cores)' })
    .option('follow', { type: 'boolean', default: false, describe: 'The dump may still be being written (pgmy dump running elsewhere into the same folder or bucket): load each table once the dump has completed it, until the dump is complete' })
    .option('claim-lease', { type: 'string', coerce: wholeNumber('claim-lease', 1), describe: `Loaders sharing one dump and target: seconds a chunk claimed by a loader that stopped renewing stays its own before another takes it (default: ${DEFAULTS.claimLeaseSeconds})` })
    // Not array: an array option would take the dump folder after it as one more name; repeated, it is still a list.
    .option('tables', { type: 'string', coerce: (v: string | string[]) => list([v].flat()), describe: 'Load only these tables of the dump (MySQL name or source schema.name; comma-separated or repeated); foreign keys to the others are left out' }))
    .example('$0 load --target mysql://root@localhost:3306/shop ./snap', 'Load ./snap into database shop')
    .example('$0 load --tables orders,order_lines --target mysql://root@localhost/shop ./snap', 'Load two tables of the dump')
    .example('$0 load --data-only --truncate --target mysql://app@localhost/site ./snap', 'Load the data into a schema made by manage.py migrate');
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io, quiet: boolean): Promise<number> {
  if (args['dry-run']) {
    const d = await loadDryRun({
      ...prompted(args), target: args.target, dir: args.dir, truncate: args.truncate, restart: args.restart, method: args.method,
      dataOnly: args['data-only'], ignoreCase: args['ignore-case'], allowMissingColumns: args['allow-missing-columns'], tables: args.tables ?? [],
    });
    if (args.json) io.out(JSON.stringify({ type: 'dry-run', ...d }) + '\n');
    else if (!quiet) {
      io.out(`dry run against ${d.flavor} ${d.serverVersion}: nothing was changed\n`);
      io.out(`database ${d.database}: ${d.databaseExists ? 'exists' : 'would be created'}\n`);
      if (d.tablesToCreate.length > 0) io.out(`would create ${d.tablesToCreate.length} table(s): ${d.tablesToCreate.join(', ')}\n`);
      if (d.tablesToEmpty.length > 0) io.out(`would empty (--truncate): ${d.tablesToEmpty.join(', ')}\n`);
      io.out(`would load ${d.chunksToLoad} chunk(s), ${formatBytes(d.bytesToLoad)}${d.chunksAlreadyLoaded > 0 ? `; ${d.chunksAlreadyLoaded} already loaded` : ''}\n`);
    }
    return 0;
  }
  const progress = new Progress(io, progressMode(args, io), 'load');
  const result = await withBars(progress, () => load({ ...prompted(args), ...loadOptionsFrom(args), target: args.target, dir: args.dir, tables: args.tables ?? [], ...(args['claim-lease'] !== undefined ? { claimLeaseSeconds: args['claim-lease'] } : {}), follow: args.follow, onEvent: loadLogger(progress) }));
  progress.event({ type: 'done', database: result.database, flavor: result.flavor, chunksLoaded: result.chunksLoaded, chunksSkipped: result.chunksSkipped, seconds: result.seconds });
  if (!quiet && !args.json) printLoadSummary(result, io);
  return 0;
}

/** How to load, from the arguments (shared with migrate). */
export function loadOptionsFrom(args: { 'stall-timeout'?: number | undefined; truncate: boolean; restart: boolean; method: 'infile' | 'insert'; 'data-only': boolean; 'ignore-case': boolean; 'allow-missing-columns': boolean; jobs?: number | undefined }) {
  return {
    ...(args['stall-timeout'] !== undefined ? { stallTimeout: args['stall-timeout'] } : {}), truncate: args.truncate, restart: args.restart, method: args.method,
    dataOnly: args['data-only'], ignoreCase: args['ignore-case'], allowMissingColumns: args['allow-missing-columns'],
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
  };
}

/** What the load's events show: lines or JSON, and the frame. */
export function loadLogger(progress: Progress): (e: LoadEvent) => void {
  const side = progress.model.side('load');
  return (e) => {
    if (e.type === 'start') {
      side.start(e.tables.map((t) => ({ table: t.table, bytes: t.bytes, exact: true })));
      for (const t of e.tables) side.tableStart(t.table);
      const { tables: _sizes, ...shown } = e;
      progress.event(shown, `loading into ${e.flavor} ${e.serverVersion}, database ${e.database}: ${e.chunks} chunks, ${formatBytes(e.bytes)}${e.alreadyLoaded > 0 ? ` (${e.alreadyLoaded} chunks already loaded)` : ''}`);
    } else if (e.type === 'table-done') {
      side.tableDone(e.table);
      progress.event(e, `loaded ${e.table}`);
    } else {
      loadStep(progress, e);
    }
    progress.update();
  };
}

/** The events a load tells the same way alone and under migrate. */
export function loadStep(progress: Progress, e: LoadEvent): void {
  const side = progress.model.side('load');
  if (e.type === 'chunk-done') {
    progress.event({ type: e.type, table: e.table, file: e.chunk.file, rows: e.chunk.rows, bytes: e.chunk.bytes });
    // Rows count once their chunk is committed.
    side.addRows(e.table, e.chunk.rows);
  } else if (e.type === 'bytes') {
    side.advance(e.table, e.bytes);
  } else if (e.type === 'reset') {
    progress.event(e, `${e.table} was dumped again after part of it was loaded: emptied, loading it whole`);
  } else if (e.type === 'warning') {
    progress.event(e, `warning: ${e.table ? `${e.table}: ` : ''}${e.message}`);
  } else if (e.type === 'post-data-start') {
    progress.model.postDataTotal = e.steps;
    progress.event(e, e.steps > 0 ? `data loaded; adding ${e.steps} indexes, foreign keys and AUTO_INCREMENT values` : undefined);
  } else if (e.type === 'post-data') {
    progress.model.postDataSteps++;
    progress.event(e, `added ${e.kind} to ${e.table}`);
  }
}

/** The per-table summary and the last line of a load. */
export function printLoadSummary(result: LoadResult, io: Io): void {
  io.out(table(['table', 'rows', 'bytes', 'chunks', 'seconds', 'MB/s'], result.tables.map((t) => [
    t.name, t.rows, formatBytes(t.bytes), t.chunks, t.seconds === undefined ? 'already loaded' : t.seconds.toFixed(2),
    t.seconds === undefined ? '' : (t.bytes / 1e6 / Math.max(t.seconds, 1e-3)).toFixed(1),
  ])));
  io.out(`load complete in ${result.seconds.toFixed(1)} s into ${result.flavor} database ${result.database}: ${result.chunksLoaded} chunks loaded now, ${result.chunksSkipped} were already loaded\n`);
}

import type { Argv } from 'yargs';
import { list, prompted, wholeNumber } from '../args.js';
import { EXIT, formatBytes, table, type Io } from '../output.js';
import { DEFAULTS, defaultSource, PgmyError, verify, verifyDumpFolder } from '../../index.js';

export const command = 'verify [dir]';
export const describe = 'Check a dump folder against its manifest, or compare source and target row by row';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', describe: 'Dump folder: alone, check every chunk\'s size and sha256; with --source/--target, the tables to compare' })
    .option('source', { type: 'string', describe: 'postgres://… to compare with --target' })
    .option('target', { type: 'string', describe: 'mysql://… to compare with --source' })
    .option('schema', { type: 'string', array: true, describe: 'Without a dump folder: schema to compare (default public)' })
    .option('tables', { type: 'string', array: true, describe: 'Without a dump folder: only these tables' })
    .option('exclude-tables', { type: 'string', array: true, describe: 'Without a dump folder: leave these tables out' })
    .option('max-diffs', { type: 'string', default: String(DEFAULTS.maxDiffs), coerce: wholeNumber('max-diffs', 0), describe: 'Differences to list per table (all are counted)' })
    .option('data-only', { type: 'boolean', default: false, describe: 'The target was loaded with --data-only: compare through its own columns and conversions' })
    .option('conventions', { choices: ['django', 'rails'] as const, describe: 'Without a dump folder: the --conventions the dump used (default: what the target\'s journal says)' })
    .option('ignore-case', { type: 'boolean', default: false, describe: 'With --data-only: match names without regard to case' })
    .option('drop-journal', { type: 'boolean', default: false, describe: 'Once every table matches, drop the target\'s _pgmy_journal (only a finished load\'s; a later load then treats the tables as not its own)' })
    .option('json', { type: 'boolean', default: false, describe: 'Write the result as JSON on stdout' })
    .example('$0 verify ./snap', 'Check that every chunk file is intact')
    .example('$0 verify --source postgres://app@db/shop --target mysql://root@localhost/shop ./snap', 'Compare every row of every table');
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io, quiet: boolean): Promise<number> {
  if (args.source && !args.target) {
    throw new PgmyError('usage', 'verify needs --target to compare with --source (or neither, to check a dump folder).');
  }
  if (!args.target) {
    if (!args.dir) throw new PgmyError('usage', 'verify needs a dump folder, or --source and --target.');
    const check = await verifyDumpFolder(args.dir);
    if (args.json) io.out(JSON.stringify(check, null, 2) + '\n');
    else if (!quiet || check.problems.length > 0) {
      for (const p of check.problems) io.out(`damaged: ${p.file}: ${p.problem}\n`);
      io.out(`${check.chunks} chunks, ${formatBytes(check.bytes)} checked in ${check.dir}: ${check.problems.length === 0 ? 'all intact' : `${check.problems.length} damaged`}${check.complete ? '' : ' (the dump is not complete)'}\n`);
    }
    return check.problems.length === 0 && check.complete ? EXIT.ok : EXIT.mismatch;
  }
  const result = await verify({
    ...prompted(args), source: args.source ?? defaultSource(), target: args.target, ...(args.dir ? { dir: args.dir } : {}),
    schemas: list(args.schema), tables: list(args.tables), excludeTables: list(args['exclude-tables']), maxDiffs: args['max-diffs'],
    dataOnly: args['data-only'], ignoreCase: args['ignore-case'], dropJournal: args['drop-journal'], ...(args.conventions !== undefined ? { conventions: args.conventions } : {}),
    // Progress on stderr, a line per table as it starts and ends, so a long verify is never silent.
    ...(quiet || args.json ? {} : {
      onTableStart: (name: string, i: number, of: number) => io.err(`verifying ${name} (${i + 1} of ${of})…\n`),
      onTable: (v: { table: string; match: boolean; sourceRows: number; seconds: number; differenceCount: number }) =>
        io.err(`  ${v.table}: ${v.sourceRows} rows, ${v.match ? 'equal' : `${v.differenceCount} difference(s)`} (${v.seconds.toFixed(1)} s)\n`),
    }),
  });
  if (args.json) {
    io.out(JSON.stringify(result, null, 2) + '\n');
  } else {
    if (!quiet) {
      io.out(table(['table', 'source rows', 'target rows', 'result', 'method', 'seconds'],
        result.tables.map((t) => [t.table, t.sourceRows, t.targetRows, t.match ? 'equal' : `${t.differenceCount} difference(s)`, t.method, t.seconds.toFixed(2)])));
    }
    for (const t of result.tables) {
      for (const n of t.nulledByPolicy ?? []) {
        io.out(`${t.table}.${n.column}: ${n.rows} value(s) MySQL cannot hold were written as NULL (--on-unrepresentable=null) and compared as NULL\n`);
      }
    }
    for (const t of result.tables.filter((x) => !x.match)) {
      for (const d of t.differences) {
        const key = d.key ? JSON.stringify(d.key) : '';
        io.out(`${t.table}: ${d.kind}${key ? ` at key ${key}` : ''}${d.column ? `, column ${d.column}: source ${shown(d.source)}, target ${shown(d.target)}` : d.source !== undefined ? `: source ${d.source}, target ${d.target}` : ''}\n`);
      }
    }
    io.out(result.match ? `source and target hold the same rows in all ${result.tables.length} tables\n` : `source and target DIFFER\n`);
    if (result.journalDropped) io.out('the load journal (_pgmy_journal) was dropped\n');
  }
  return result.match ? EXIT.ok : EXIT.mismatch;
}

/** A value in a difference line: whole when short, else its start and its length (a value may be 1 GB). */
function shown(v: string | null | undefined): string {
  if (v === null || v === undefined || v.length <= 200) return JSON.stringify(v ?? null);
  return `${JSON.stringify(v.slice(0, 200))}… (${v.length} characters)`;
}

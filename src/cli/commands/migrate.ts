import type { Argv } from 'yargs';
import * as dumpCmd from './dump.js';
import * as loadCmd from './load.js';
import type { Io } from '../output.js';
import { Progress, progressMode, withBars } from '../progress.js';
import { dumpDryRun, migrate } from '../../index.js';

export const command = 'migrate';
export const describe = 'Dump and load in one go (the dump folder is kept: resumable and verifiable)';

export function builder(y: Argv) {
  return loadCmd.loadOptions(dumpCmd.options(y)
    .option('target', { type: 'string', demandOption: true, describe: 'mysql://user@host:3306/dbname (password: ~/.my.cnf, MYSQL_PWD)' })
    .option('overlap', { type: 'boolean', default: true, describe: 'Load each chunk as soon as it is dumped; --no-overlap dumps everything first, then loads (see README, Performance)' }))
    .example('$0 migrate --source postgres://app@db/shop --target mysql://root@localhost/shop --out ./snap', 'Move shop, keeping the dump in ./snap');
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io, quiet: boolean): Promise<number> {
  if (args['dry-run']) {
    // The dump's checks in one snapshot, and the target's (flavour, local_infile, existing tables).
    dumpCmd.printDryRun(await dumpDryRun({ ...dumpCmd.dumpOptions(args), target: args.target }), args, io, quiet);
    return 0;
  }
  const progress = new Progress(io, progressMode(args, io), 'migrate');
  const estimates = new Map<string, number>();
  const onDump = dumpCmd.dumpLogger(progress, 'dump ', 2);
  const result = await withBars(progress, () => migrate({
    ...dumpCmd.dumpOptions(args), ...loadCmd.loadOptionsFrom(args), target: args.target, overlap: args.overlap,
    onDumpEvent: (e) => {
      if (e.type === 'table-start') estimates.set(e.table, e.estimatedBytes);
      onDump(e);
    },
    onLoadEvent: loadCmd.loadLogger(progress, 'load ', (t) => estimates.get(t) ?? 0),
  }));
  const m = result.dump.manifest;
  progress.event({ type: 'done', dumpId: m.dumpId, database: result.load.database, tables: m.data.length, rows: m.data.reduce((n, d) => n + d.rows, 0),
    bytes: m.data.reduce((n, d) => n + d.bytes, 0), seconds: result.seconds, overlapped: result.overlapped });
  if (!quiet && !args.json) {
    if (result.dump.seconds > 0) dumpCmd.printDumpSummary(result.dump, io);
    loadCmd.printLoadSummary(result.load, io);
    const how = result.overlapped ? 'dump and load overlapped' : result.dump.seconds > 0 ? 'dumped, then loaded' : 'the dump was already complete; loaded it';
    io.out(`migrate complete in ${result.seconds.toFixed(1)} s (${how})\n`);
  }
  return 0;
}

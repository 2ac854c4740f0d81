import type { Argv } from 'yargs';
import * as dumpCmd from './dump.js';
import * as loadCmd from './load.js';
import type { Io } from '../output.js';
import { Progress, progressMode, withBars } from '../progress.js';
import { dumpDryRun, migrate, type DumpEvent, type LoadEvent } from '../../index.js';

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
  const log = migrateLogger(progress, args.overlap);
  const result = await withBars(progress, () => migrate({
    ...dumpCmd.dumpOptions(args), ...loadCmd.loadOptionsFrom(args), target: args.target, overlap: args.overlap,
    onDumpEvent: log.dump, onLoadEvent: log.load,
  }));
  const m = result.dump.manifest;
  dumpCmd.warningEvents(progress, m.target.notices);
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

/**
 * The frame of a migrate. Overlapped, the load has no start of its own: its side is sized from the dump's
 * tables (exact as each is dumped), and a table is loaded when its dump is done and all its chunks are in
 * (loaded now, or passed over because an earlier run loaded them). Otherwise the load's own events say it.
 */
function migrateLogger(progress: Progress, overlap: boolean): { dump: (e: DumpEvent) => void; load: (e: LoadEvent) => void } {
  const onDump = dumpCmd.dumpLogger(progress, 'dump ');
  const onLoad = loadCmd.loadLogger(progress);
  const load = progress.model.side('load');
  const chunksDumped = new Map<string, number>();
  const chunksIn = new Map<string, number>();
  const settle = (table: string) => {
    const need = chunksDumped.get(table);
    if (need === undefined || (chunksIn.get(table) ?? 0) < need) return;
    chunksDumped.delete(table);
    load.tableDone(table);
    progress.event({ type: 'table-done', table }, `loaded ${table}`);
  };
  return {
    dump: (e) => {
      onDump(e);
      if (!overlap) return;
      if (e.type === 'start') {
        load.start(e.perTable.map((t) => ({ table: t.table, bytes: t.bytes, exact: t.exact })));
        for (const t of e.perTable) if (t.done) chunksDumped.set(t.table, t.chunks ?? 0);
        for (const t of e.perTable) settle(t.table);
      } else if (e.type === 'table-done' && !e.reused) {
        load.resize(e.table, e.data.bytes);
        chunksDumped.set(e.table, e.data.chunks.length);
        settle(e.table);
      }
    },
    load: (e) => {
      if (!overlap || e.type === 'start' || e.type === 'table-done') return onLoad(e);
      if (e.type === 'bytes') load.tableStart(e.table, `load ${e.table}`);
      if (e.type === 'chunk-kept') load.keep(e.table, e.chunk.bytes);
      else loadCmd.loadStep(progress, e);
      if (e.type === 'chunk-done' || e.type === 'chunk-kept') {
        chunksIn.set(e.table, (chunksIn.get(e.table) ?? 0) + 1);
        settle(e.table);
      }
      progress.update();
    },
  };
}

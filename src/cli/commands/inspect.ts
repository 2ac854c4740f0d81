import type { Argv } from 'yargs';
import { formatBytes, table, type Io } from '../output.js';
import { prompted } from '../args.js';
import { inspect } from '../../index.js';

export const command = 'inspect <dir>';
export const describe = 'Show what a dump folder holds, and with --target how far a load of it has got';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'Dump folder' })
    .option('target', { type: 'string', describe: 'mysql://… to read the load journal from' })
    .option('json', { type: 'boolean', default: false, describe: 'Write the result as JSON' })
    .example('$0 inspect ./snap', 'Tables, rows, sizes, whether the dump is complete')
    .example('$0 inspect ./snap --target mysql://root@localhost/shop', 'How far the load into shop has got');
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io): Promise<number> {
  const r = await inspect(args.dir, args.target, prompted(args).targetPassword);
  if (args.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  io.out(`dump ${r.dumpId} in ${r.dir}: ${r.complete ? `complete (${r.completedAt})` : `NOT complete: run the same pgmy ${r.by} again to finish it`}\n`);
  io.out(`source ${r.source.url}, PostgreSQL ${r.source.server.version}, snapshot ${r.source.snapshotTime}${r.oneSnapshot ? '' : ' (resumed: more than one snapshot)'}\n`);
  if (r.compress) io.out(`chunks stored with ${r.compress.name}, level ${r.compress.level} (bytes below are as stored)\n`);
  io.out(`notices: ${r.notices.warning} not carried or carried differently, ${r.notices.info} notes (pgmy plan or manifest.json lists them)\n\n`);
  const headers = ['table', 'rows', 'bytes', 'chunks', 'dumped', ...(r.load ? ['loaded'] : [])];
  io.out(table(headers, r.tables.map((t) => [
    t.target, t.rows, formatBytes(t.bytes), t.chunks,
    t.complete ? 'yes' : t.parts ? `${t.parts.done}/${t.parts.total} parts` : 'no',
    ...(r.load ? [`${t.loadedChunks}/${t.chunks}`] : []),
  ])));
  if (r.load) {
    io.out(`\nload into ${r.load.database}: ${r.load.chunksLoaded} of ${r.load.chunksTotal} chunks, ${r.load.postDataSteps} post-data steps, ${r.load.done ? 'finished' : `not finished: run the same pgmy ${r.load.by} again`}\n`);
    if (r.load.otherDumps.length > 0) io.out(`the target also holds a load of another dump: ${r.load.otherDumps.join(', ')}\n`);
  }
  return 0;
}

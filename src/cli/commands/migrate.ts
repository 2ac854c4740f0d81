import type { Argv } from 'yargs';
import * as dumpCmd from './dump.js';
import * as loadCmd from './load.js';
import type { Io } from '../output.js';
import { dumpDryRun } from '../../dump/dry-run.js';

export const command = 'migrate';
export const describe = 'Dump and load in one go (the dump folder is kept: resumable and verifiable)';

export function builder(y: Argv) {
  return loadCmd.loadOptions(dumpCmd.builder(y)
    .option('target', { type: 'string', demandOption: true, describe: 'mysql://user@host:3306/dbname' }))
    .example('$0 migrate --source postgres://app@db/shop --target mysql://root@localhost/shop --out ./snap', 'Move shop, keeping the dump in ./snap');
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io, quiet: boolean): Promise<number> {
  if (args['dry-run']) {
    // The dump's checks in one snapshot, and the target's (flavour, local_infile, existing tables).
    dumpCmd.printDryRun(await dumpDryRun({ ...dumpCmd.dumpOptions(args), target: args.target }), args, io, quiet);
    return 0;
  }
  const dumped = await dumpCmd.handler(args, io, quiet);
  if (dumped !== 0) return dumped;
  return loadCmd.handler({ ...args, dir: args.out }, io, quiet);
}

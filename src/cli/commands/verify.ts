import type { Argv } from 'yargs';
import type { Io } from '../output.js';

export const command = 'verify [dir]';
export const describe = 'Check a dump folder against its manifest, or compare source and target row by row';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', describe: 'Dump folder: check every chunk\'s size and sha256' })
    .option('source', { type: 'string', describe: 'postgres://… to compare with --target' })
    .option('target', { type: 'string', describe: 'mysql://… to compare with --source' })
    .option('json', { type: 'boolean', default: false, describe: 'Write the result as JSON' });
}

export async function handler(_args: Awaited<ReturnType<typeof builder>['argv']>, _io: Io, _quiet: boolean): Promise<number> {
  throw new Error('verify: not built yet');
}

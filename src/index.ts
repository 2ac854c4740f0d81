/**
 * pgmy as a library: the same pipeline the CLI runs. Every function returns a result or throws a
 * PgmyError (with a code, the table/column/chunk/row it concerns, and a hint); none prints or exits.
 */
import { dump, type DumpOptions, type DumpResult } from './dump/dump.js';
import { load, type LoadOptions, type LoadResult } from './load/load.js';

export { plan, type PlanReport, type PlanRunOptions } from './plan/run-plan.js';
export { dump, type DumpEvent, type DumpOptions, type DumpResult } from './dump/dump.js';
export { load, loadDryRun, type LoadEvent, type LoadOptions, type LoadResult } from './load/load.js';
export { verify, type VerifyOptions, type VerifyResult } from './verify/verify.js';
export { verifyDumpFolder, type DumpCheck } from './verify/verify-dump.js';
export { inspect, type Inspection } from './inspect/inspect.js';
export { readManifest, type Manifest } from './dump/manifest.js';
export { PgmyError, type PgmyErrorCode } from './errors.js';

export interface MigrateOptions extends DumpOptions, Omit<LoadOptions, 'dir' | 'onEvent' | 'jobs'> {}

/** Dump then load, keeping the dump folder (resumable and verifiable). */
export async function migrate(options: MigrateOptions): Promise<{ readonly dump: DumpResult; readonly load: LoadResult }> {
  const dumped = await dump(options);
  const loaded = await load({ ...options, dir: options.out, ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), onEvent: () => undefined });
  return { dump: dumped, load: loaded };
}

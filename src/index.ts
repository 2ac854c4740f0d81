/**
 * pgmy as a library: the same pipeline the CLI runs. Every function returns a result or throws a
 * PgmyError (with a code, the table/column/chunk/row it concerns, and a hint); none prints or exits.
 */
export { plan, type PlanReport, type PlanRunOptions } from './plan/run-plan.js';
export { dump, type DumpEvent, type DumpOptions, type DumpResult } from './dump/dump.js';
export { load, loadDryRun, type LoadEvent, type LoadOptions, type LoadResult } from './load/load.js';
export { verify, type VerifyOptions, type VerifyResult } from './verify/verify.js';
export { verifyDumpFolder, type DumpCheck } from './verify/verify-dump.js';
export { inspect, type Inspection } from './inspect/inspect.js';
export { readManifest, type Manifest } from './model/dump-format/manifest.js';
export { migrate, type MigrateOptions, type MigrateResult } from './migrate/migrate.js';
export { dumpDryRun, type DumpDryRun } from './dump/dry-run.js';
export { PgmyError, type PgmyErrorCode } from './errors.js';

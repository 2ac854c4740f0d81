/**
 * pgmy as a library: the same pipeline the CLI runs, and the CLI's only way into it. Every function returns
 * a result or throws a PgmyError (with a code, the table/column/chunk/row it concerns, what the server said,
 * and a hint); none prints or exits.
 */
export { plan, type PlanReport, type PlanRunOptions } from './plan/run-plan.js';
export { dump, DEFAULT_CHUNK_SIZE, type DumpEvent, type DumpOptions, type DumpResult } from './dump/dump.js';
export { dumpDryRun, type DumpDryRun } from './dump/dry-run.js';
export { load, loadDryRun, type LoadEvent, type LoadOptions, type LoadResult } from './load/load.js';
export { verify, type VerifyOptions, type VerifyResult } from './verify/verify.js';
export { verifyDumpFolder, type DumpCheck } from './verify/verify-dump.js';
export { migrate, type MigrateOptions, type MigrateResult } from './migrate/migrate.js';
export { inspect, type Inspection } from './inspect/inspect.js';
export { readManifest, type Manifest } from './model/dump-format/manifest.js';
export { qualifiedName, type Catalog, type Table } from './model/catalog.js';
export { describeRule, type ColumnRule, type Notice, type TargetSchema } from './model/target.js';
export { describeNotice } from './mapping/blockers.js';
export { parseCodec, type Codec } from './compression/codec.js';
export { redactUrl, defaultSource, targetUrl, type ConnectionTarget } from './connection/url.js';
export { resolvePg } from './connection/pg-resolve.js';
export { resolveMy } from './connection/my-resolve.js';
export { PgmyError, type PgmyErrorCode, type ServerDetails } from './errors.js';
export { VERSION } from './version.js';
export { DEFAULTS } from './defaults.js';

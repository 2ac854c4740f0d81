/**
 * pgmy as a library: the same pipeline the CLI runs, and the CLI's only way into it. Every function returns
 * a result or throws a PgmyError (with a code, the table/column/chunk/row it concerns, what the server said,
 * and a hint); none prints or exits.
 */
import type * as planModule from './plan/run-plan.js';
import type * as dumpModule from './dump/dump.js';
import type * as dryrunModule from './dump/dry-run.js';
import type * as loadModule from './load/load.js';
import type * as verifyModule from './verify/verify.js';
import type * as vdModule from './verify/verify-dump.js';
import type * as migrateModule from './migrate/migrate.js';
import type * as inspectModule from './inspect/inspect.js';
import type * as manifestModule from './model/dump-format/manifest.js';

/*
 * The pipeline's stages are loaded when first called: `pgmy dump` never loads the MySQL driver, and a
 * command starts in a third less time than with every stage loaded up front.
 */
export type { PlanReport, PlanRunOptions } from './plan/run-plan.js';
export const plan: typeof planModule.plan = async (...args) => (await import('./plan/run-plan.js')).plan(...args);
export type { DumpEvent, DumpOptions, DumpResult } from './dump/dump.js';
export { DEFAULT_CHUNK_SIZE } from './dump/options.js';
export const dump: typeof dumpModule.dump = async (...args) => (await import('./dump/dump.js')).dump(...args);
export type { DumpDryRun } from './dump/dry-run.js';
export const dumpDryRun: typeof dryrunModule.dumpDryRun = async (...args) => (await import('./dump/dry-run.js')).dumpDryRun(...args);
export type { LoadEvent, LoadOptions, LoadResult } from './load/load.js';
export const load: typeof loadModule.load = async (...args) => (await import('./load/load.js')).load(...args);
export const loadDryRun: typeof loadModule.loadDryRun = async (...args) => (await import('./load/load.js')).loadDryRun(...args);
export type { VerifyOptions, VerifyResult } from './verify/verify.js';
export const verify: typeof verifyModule.verify = async (...args) => (await import('./verify/verify.js')).verify(...args);
export type { DumpCheck } from './verify/verify-dump.js';
export const verifyDumpFolder: typeof vdModule.verifyDumpFolder = async (...args) => (await import('./verify/verify-dump.js')).verifyDumpFolder(...args);
export type { MigrateOptions, MigrateResult } from './migrate/migrate.js';
export const migrate: typeof migrateModule.migrate = async (...args) => (await import('./migrate/migrate.js')).migrate(...args);
export type { Inspection } from './inspect/inspect.js';
export const inspect: typeof inspectModule.inspect = async (...args) => (await import('./inspect/inspect.js')).inspect(...args);
export type { Manifest } from './model/dump-format/manifest.js';
export const readManifest: typeof manifestModule.readManifest = async (...args) => (await import('./model/dump-format/manifest.js')).readManifest(...args);
export { qualifiedName, Catalog, Table } from './model/catalog.js';
export { describeRule, ColumnRule, Notice, TargetSchema } from './model/target.js';
export { describeNotice } from './mapping/blockers.js';
export { parseCodec, Codec } from './compression/codec.js';
export { redactUrl, defaultSource, targetUrl, ConnectionTarget } from './connection/url.js';
export { resolvePg } from './connection/pg-resolve.js';
export { resolveMy } from './connection/my-resolve.js';
export { PgmyError, PgmyErrorCode, ServerDetails } from './errors.js';
export { VERSION } from './version.js';
export { DEFAULTS } from './defaults.js';
export { useS3Settings } from './files/stores.js';
export type { S3Settings } from './files/store.js';

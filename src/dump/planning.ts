import type { Catalog } from '../model/catalog.js';
import type { TargetSchema } from '../model/target.js';
import { blockersError } from '../mapping/blockers.js';
import { PgmyError } from '../errors.js';
import type { PlanOptions } from '../plan/plan.js';
import type { DumpOptions } from './options.js';
import { DEFAULTS, schemasOrDefault } from '../defaults.js';
import { valueGuard, type ValueGuard } from './value-guard.js';

/** What the dump plans with (catalog filters, scan, mapping choices), from its options; dump --dry-run plans the same. */
export function planOptionsFor(options: DumpOptions): PlanOptions & { readonly schemas: string[] } {
  return {
    schemas: schemasOrDefault(options.schemas),
    tables: options.tables ?? [], excludeTables: options.excludeTables ?? [],
    scan: !options.skipScan, onUnrepresentable: options.onUnrepresentable ?? DEFAULTS.onUnrepresentable,
    ...(options.schemaMap ? { schemaMap: options.schemaMap } : {}),
    ...(options.textCollation !== undefined ? { textCollation: options.textCollation } : {}),
    ...(options.textKeys !== undefined ? { textKeys: options.textKeys } : {}),
    ...(options.conventions !== undefined ? { conventions: options.conventions } : {}),
    ...(options.casts ? { casts: options.casts } : {}), ...(options.renames ? { renames: options.renames } : {}),
  };
}

/** Refuses a plan with nothing to dump, or with something that cannot be carried, before anything is written. */
export function checkPlanned(catalog: Catalog, target: TargetSchema, schemas: readonly string[]): void {
  if (catalog.tables.length === 0) {
    throw new PgmyError('nothing-selected', `No tables to dump in schema${schemas.length > 1 ? 's' : ''} ${schemas.join(', ')} of ${catalog.server.database}.`, {
      hint: 'Check --schema, --tables and --exclude-tables.',
    });
  }
  const blockers = blockersError(target);
  if (blockers) throw blockers;
}

/**
 * The value checks the scan left to the COPY, by table index: every table with checks, when the dump defers
 * them (the scan then makes none); none otherwise.
 */
export function valueGuards(catalog: Catalog, options: DumpOptions): Map<number, ValueGuard> {
  const guards = new Map<number, ValueGuard>();
  if (!defersChecks(options)) return guards;
  catalog.tables.forEach((t, i) => {
    const guard = valueGuard(t, catalog.server.versionNum, options.conventions);
    if (guard) guards.set(i, guard);
  });
  return guards;
}

/** Whether the dump leaves value checks to its COPY: when such values are refused, and the scan is not skipped. */
export function defersChecks(options: DumpOptions): boolean {
  return !options.skipScan && (options.onUnrepresentable ?? DEFAULTS.onUnrepresentable) === 'error';
}

const STOPPED = 'the dump stopped (what it wrote is an unfinished dump; run it again once they are dealt with)';

/**
 * A COPY met a value MySQL cannot hold, or the plan was refused before any COPY while the value checks were
 * left to the COPYs: the whole scan, in a snapshot of its own, names every blocker as `pgmy plan` does (the
 * COPY's own finding when the value is gone by then). On a large database that is a pass over all of it.
 */
export async function refusal(options: DumpOptions, found: PgmyError, stopped = STOPPED): Promise<PgmyError> {
  try {
    // Loaded here: plan() also reaches MySQL (for a target), and a dump that refuses nothing never loads mysql2.
    const { plan } = await import('../plan/run-plan.js');
    const report = await plan({
      source: options.source, ...(options.sourcePassword !== undefined ? { sourcePassword: options.sourcePassword } : {}), ...planOptionsFor(options),
    });
    return blockersError(report.plan.target, stopped) ?? found;
  } catch {
    return found;
  }
}

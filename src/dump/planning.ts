import type { Catalog } from '../model/catalog.js';
import type { TargetSchema } from '../model/target.js';
import { blockersError } from '../mapping/blockers.js';
import { PgmyError } from '../errors.js';
import type { PlanOptions } from '../plan/plan.js';
import type { DumpOptions } from './options.js';
import { DEFAULTS, schemasOrDefault } from '../defaults.js';

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

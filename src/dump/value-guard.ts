import { PgmyError } from '../errors.js';
import type { Table } from '../model/catalog.js';
import { qualifiedName } from '../model/catalog.js';
import type { Conventions } from '../mapping/conventions.js';
import { fill, scanNeeds } from '../mapping/scan-model.js';
import type { ValueCheck } from '../mapping/type-rules.js';
import { quotePg, literalPg } from '../source/postgres/quote.js';

/**
 * The value checks of a table whose scan the dump left to its COPY (plan's checks, by the default policy,
 * which refuses such values): a condition in the COPY's WHERE that is true for every good row and raises an
 * error, naming the check and the row, at the first value MySQL cannot hold. The scan would have read the
 * whole table once more before the COPY; here the COPY decodes each value once for both.
 */
export interface ValueGuard {
  readonly table: string;
  readonly checks: ReadonlyArray<{ readonly column: string; readonly check: ValueCheck }>;
  /** The condition for the COPY's WHERE. */
  readonly where: string;
}

const MARK = 'pgmy-guard:';
const END = ':pgmy-end';

export function valueGuard(t: Table, serverVersionNum: number, conventions?: Conventions): ValueGuard | undefined {
  const columns = t.columns.map((c) => ({ column: c.name, needs: scanNeeds(c.type, serverVersionNum, conventions) })).filter((c) => c.needs.checks.length > 0);
  const checks = columns.flatMap(({ column, needs }) => needs.checks.map((check) => ({ column, check })));
  if (checks.length === 0) return undefined;
  // The raised text depends on the row: a constant one would be folded, and raised, when the query is planned.
  const key = t.primaryKey?.columns ?? [];
  const row = key.length > 0
    ? key.map((k, i) => `${literalPg(`${i > 0 ? ', ' : ''}${k}=`)} || ${quotePg(k)}::text`).join(' || ')
    : `'ctid ' || ctid::text`;
  let n = 0;
  const raise = (): string => `(${literalPg(`${MARK}${n++}:`)} || ${row} || '${END}')::int = 1`;
  // One condition per column: true at once where the column's cheap prefilter (or its only check) says the
  // value is good, else the checks, each of which raises. An OR stops at its first true arm, so a good row
  // costs the prefilter alone: a CASE ... ELSE 1 END = 1 around it cost PostgreSQL twice the CPU per value
  // (one date column, 1.5 M rows: 0.20-0.27 s more than no check, 0.12-0.15 s so).
  const conditions = columns.map(({ column, needs }) => {
    const q = quotePg(column);
    const [only] = needs.checks;
    if (needs.prefilter === undefined && only && needs.checks.length === 1) return `(NOT coalesce(${fill(only.predicate, q)}, false) OR ${raise()})`;
    const cases = `CASE ${needs.checks.map((check) => `WHEN (${fill(check.predicate, q)}) THEN ${raise()}`).join(' ')} ELSE true END`;
    return needs.prefilter !== undefined ? `(NOT coalesce(${fill(needs.prefilter, q)}, false) OR ${cases})` : `(${cases})`;
  });
  return { table: qualifiedName(t), checks, where: conditions.join(' AND ') };
}

/** A value MySQL cannot hold, found by a guard. */
export class GuardError extends PgmyError {}

/** The guard's own error (its text cast to an integer fails), as the value and row it names; else undefined. */
export function guardFailure(guard: ValueGuard, err: unknown): GuardError | undefined {
  const message = err instanceof Error ? err.message : '';
  const m = new RegExp(`${MARK}(\\d+):(.*)${END}`, 's').exec(message);
  const found = m ? guard.checks[Number(m[1])] : undefined;
  if (!m || !found) return undefined;
  const row = m[2] as string;
  return new GuardError('unsupported',
    `${guard.table}.${found.column}: column ${found.column} holds ${found.check.problem} (first: ${row}), so the dump stopped`, {
      table: guard.table, column: found.column,
      hint: 'Choose --on-unrepresentable=null or =text to carry the table anyway, or change the value in PostgreSQL; `pgmy plan` lists every such value.',
    });
}

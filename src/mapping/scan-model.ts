import type { ColumnType } from '../model/catalog.js';
import type { Conventions } from './conventions.js';
import type { DumpedDefault } from './defaults.js';
import { ruleFor, type ColumnStats, type ValueCheck } from './type-rules.js';

/** What the source scan found in one column. */
export interface ColumnScan {
  readonly stats?: ColumnStats;
  readonly failures: ReadonlyArray<{ readonly check: ValueCheck; readonly rows: number; readonly example?: string }>;
}

/** Scan findings by `schema.table`, then by column name. */
export type ScanResult = ReadonlyMap<string, ReadonlyMap<string, ColumnScan>>;

/** What to do with values MySQL cannot hold: refuse (default), store NULL instead, or carry the column as text. */
export type UnrepresentablePolicy = 'error' | 'null' | 'text';

/** What to do with a key on unbounded text: give it a VARCHAR(n) (default) or refuse, printing the cast. */
export type TextKeyPolicy = 'varchar' | 'refuse';

export interface MapOptions {
  readonly scan?: ScanResult;
  /**
   * Source schema → MySQL database. Unmapped, the only schema (or public, when there are several) goes into
   * the target URL's database and every other schema into a database of its own name; '' means the URL's.
   */
  readonly schemaMap?: ReadonlyMap<string, string>;
  /** Use this utf8mb4 collation for text instead of the binary no-pad one that keeps PostgreSQL's meaning. */
  readonly textCollation?: string;
  readonly onUnrepresentable?: UnrepresentablePolicy;
  /** Keys on unbounded text/bytea: carried as VARCHAR(n)/VARBINARY(n) sized from the scan (default), or refused. */
  readonly textKeys?: TextKeyPolicy;
  /** A framework's MySQL column types (--conventions). */
  readonly conventions?: Conventions;
  /** Literal column defaults as pgmy dumps those values, by `schema.table`, then column (plan's default probe). */
  readonly dumpedDefaults?: ReadonlyMap<string, ReadonlyMap<string, DumpedDefault>>;
  /**
   * The values are not scanned and need not be (verify without a dump folder, which only needs each
   * column's rule): a type that depends on the values (numeric without precision) is mapped as its rule maps
   * any value, where a dump without the scan would refuse it.
   */
  readonly anyValues?: boolean;
}

/**
 * Which values of a column must be looked for before any data moves (on a server of this version), and whether
 * its size must be measured.
 */
export function scanNeeds(t: ColumnType, serverVersionNum: number, conventions?: Conventions): ScanNeeds {
  const rule = ruleFor(t, conventions);
  const checks = (rule?.checks ?? []).filter((c) => (c.pgTypes === undefined || c.pgTypes.includes(t.name))
    && (c.sinceServer === undefined || serverVersionNum >= c.sinceServer) && (c.beforeServer === undefined || serverVersionNum < c.beforeServer));
  return { checks, stats: rule?.needsStats?.(t) ?? false, ...(checks.length > 0 && rule?.prefilter !== undefined ? { prefilter: rule.prefilter } : {}) };
}

export interface ScanNeeds {
  readonly checks: readonly ValueCheck[];
  readonly stats: boolean;
  /** True for every value the checks may find: the COPY's guard evaluates them only where it holds. */
  readonly prefilter?: string;
}

export function fill(template: string, quotedColumn: string): string {
  return template.replaceAll('%s', quotedColumn);
}

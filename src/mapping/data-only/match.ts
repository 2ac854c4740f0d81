import type { TargetColumn, TargetTable } from '../../model/target.js';
import { conversionFor, type Conversion } from './conversions.js';
import type { ExistingColumn } from '../../target/mysql/existing-columns.js';

export interface LoadColumn {
  /** The dumped column, in file order. */
  readonly source: TargetColumn;
  /** The target column it goes to, or undefined when it is skipped. */
  readonly target?: ExistingColumn;
  readonly conversion: Conversion;
}

export interface TableMatch {
  readonly table: TargetTable;
  readonly targetName: string;
  readonly columns: readonly LoadColumn[];
  readonly autoIncrementColumn?: string;
}

export interface MatchOptions {
  readonly ignoreCase: boolean;
  readonly allowMissingColumns: boolean;
}

/** Matches each dumped table to an existing target table by name, column by column; problems refuse the load. */
export function matchTables(tables: readonly TargetTable[], existing: ReadonlyMap<string, ExistingColumn[]>, o: MatchOptions): { matches: TableMatch[]; problems: string[] } {
  const problems: string[] = [];
  const matches: TableMatch[] = [];
  const same = (a: string, b: string) => (o.ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  for (const t of tables) {
    const name = [...existing.keys()].find((n) => same(n, t.name));
    if (name === undefined) {
      problems.push(`table ${t.name} does not exist in the target; create it (e.g. with the framework's migrations) or leave it out of the dump`);
      continue;
    }
    const cols = existing.get(name) ?? [];
    const loadColumns: LoadColumn[] = [];
    for (const c of t.columns) {
      const target = cols.find((x) => same(x.name, c.name));
      if (!target) {
        if (!o.allowMissingColumns) problems.push(`${t.name}.${c.name} (${c.sourceType}) has no column in the target table ${name}`);
        loadColumns.push({ source: c, conversion: { kind: 'direct' } });
        continue;
      }
      const conversion = conversionFor(c, target);
      if (typeof conversion === 'string') problems.push(`${t.name}.${c.name}: ${conversion}`);
      else loadColumns.push({ source: c, target, conversion });
    }
    for (const x of cols) {
      if (!t.columns.some((c) => same(c.name, x.name)) && !o.allowMissingColumns) {
        problems.push(`${name}.${x.name} (${x.columnType}) exists only in the target${x.hasDefault || x.autoIncrement ? '' : ' and has no default'}`);
      }
    }
    const ai = cols.find((x) => x.autoIncrement)?.name;
    matches.push({ table: t, targetName: name, columns: loadColumns, ...(ai !== undefined ? { autoIncrementColumn: ai } : {}) });
  }
  return { matches, problems };
}

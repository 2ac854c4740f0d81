import type { TargetColumn, TargetTable } from '../../model/target.js';
import { literalMy, quoteMy, tableMy } from './quote.js';

/**
 * One field of a chunk line as LOAD DATA assigns it: straight into a column, skipped, or through a user
 * variable into a column by an expression in which `@v` stands for the field.
 */
export type LoadField =
  | { readonly kind: 'column'; readonly column: string }
  | { readonly kind: 'skip' }
  | { readonly kind: 'set'; readonly column: string; readonly expr: string };

/**
 * The one LOAD DATA LOCAL statement pgmy sends: TSV as COPY writes it (tab, newline, backslash escapes, no
 * enclosing), read as utf8mb4.
 */
export function loadDataStatement(fileName: string, table: string, fields: readonly LoadField[]): string {
  const targets = fields.map((f, i) => (f.kind === 'column' ? quoteMy(f.column) : f.kind === 'skip' ? `@skip${i}` : `@v${i}`));
  const sets = fields.flatMap((f, i) => (f.kind === 'set' ? [`${quoteMy(f.column)} = ${f.expr.replaceAll('@v', `@v${i}`)}`] : []));
  return `LOAD DATA LOCAL INFILE ${literalMy(fileName)} INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' STARTING BY '' ` +
    `(${targets.join(', ')})${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`;
}

/**
 * How a column of a table pgmy created takes its field: bytes through UNHEX(), and the AUTO_INCREMENT column
 * always through a variable: MariaDB 10.11, when the statement has a SET clause, ignores NO_AUTO_VALUE_ON_ZERO
 * for a column assigned directly, so an id 0 became a new id and the row that really had that id was dropped
 * as a duplicate (seen with Pagila's staff table).
 */
export function loadField(c: Pick<TargetColumn, 'load' | 'autoIncrement'>, column: string): LoadField {
  if (c.load === 'unhex') return { kind: 'set', column, expr: 'UNHEX(@v)' };
  if (c.autoIncrement) return { kind: 'set', column, expr: '@v' };
  return { kind: 'column', column };
}

/** The LOAD DATA statement for one chunk of a table pgmy created. */
export function loadDataSql(t: TargetTable, fileName: string): string {
  return loadDataStatement(fileName, tableMy(t), t.columns.map((c) => loadField(c, c.name)));
}

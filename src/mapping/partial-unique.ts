import type { Index } from '../model/catalog.js';
import type { HiddenColumn, TargetColumn, TargetIndex } from '../model/target.js';
import { quoteMy } from '../target/mysql/quote.js';
import type { Note } from './map-column.js';
import { shorten, type NameScope } from './names.js';
import { MAX_KEY_BYTES } from './key-fit.js';

/**
 * A partial unique index (`UNIQUE (email) WHERE deleted_at IS NULL`, Rails' soft-delete pattern) enforced
 * exactly: each key column gets an invisible generated twin, `IF(predicate, column, NULL)`, and the unique
 * index is built on the twins. Rows outside the predicate have NULL twins, which a unique index never
 * compares equal; rows inside have their values, compared as PostgreSQL compares them. Virtual and
 * INVISIBLE (MariaDB 10.3+, MySQL 8.0.23+): nothing is stored, SELECT * does not show them, and pgmy's
 * loads and verify never name them.
 */
export function partialUnique(
  i: Index, predicate: string | undefined, columns: readonly TargetColumn[], names: NameScope, note: Note,
): { index: TargetIndex; hidden: HiddenColumn[] } | undefined {
  const keys = i.keys.map((k) => columns.find((c) => c.name === k.column));
  if (predicate === undefined || i.expressions !== undefined || keys.some((c) => c === undefined || c.indexable !== 'yes' || c.autoIncrement)) return undefined;
  const cols = [...new Set(keys as TargetColumn[])];
  const hidden = cols.map((c, n) => ({
    name: shorten(`pgmy_${i.name}${cols.length > 1 ? `_${n + 1}` : ''}`),
    sqlType: c.sqlType, textual: c.textual,
    expr: `IF(${predicate}, ${quoteMy(c.name)}, NULL)`,
  }));
  const bytes = cols.reduce((sum, c) => sum + c.maxBytes, 0);
  if (bytes > MAX_KEY_BYTES || hidden.some((h) => columns.some((c) => c.name.toLowerCase() === h.name.toLowerCase()))) return undefined;
  note({ level: 'info', object: i.name, message: `index ${i.name} is a partial unique index (WHERE ${i.predicate ?? ''}): enforced exactly by a unique index on invisible generated column${hidden.length > 1 ? 's' : ''} ${hidden.map((h) => h.name).join(', ')} (IF(condition, column, NULL))` });
  return {
    index: { name: names.take(i.name), unique: true, parts: hidden.map((h) => ({ column: h.name, descending: false })), source: `partial unique index ${i.name}` },
    hidden,
  };
}

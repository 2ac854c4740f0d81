import type { Index } from '../model/catalog.js';
import type { HiddenColumn, TargetColumn, TargetIndex, TargetIndexPart } from '../model/target.js';
import { quoteMy } from '../target/mysql/quote.js';
import type { Note } from './map-column.js';
import { shorten, type NameScope } from './names.js';
import { MAX_KEY_BYTES, MAX_KEY_PARTS } from './key-fit.js';
import { parseKeyExpression } from './index-expr.js';

/** Whether lower()/upper() change the same letters on both sides: PostgreSQL's under lc_ctype C change ASCII only. */
const asciiOnly = (ctype: string | undefined): boolean => ctype === 'C' || ctype === 'POSIX';

/**
 * Indexes MySQL can enforce exactly only through invisible generated columns, built here:
 * - a partial unique index (`UNIQUE (email) WHERE deleted_at IS NULL`, Rails' soft-delete pattern): each key
 *   column gets a twin `IF(predicate, column, NULL)` and the unique index is built on the twins. Rows outside
 *   the predicate have NULL twins, which a unique index never compares equal;
 * - a key on `lower(col)` / `upper(col)`: a twin `LOWER(col)` (inside the IF when the index is also partial).
 * Virtual and INVISIBLE (MariaDB 10.3+, MySQL 8.0.23+): nothing is stored, SELECT * does not show them, and
 * pgmy's loads and verify never name them. Gives undefined when the index is not of these kinds or cannot be
 * built so; the caller then carries or lists it as before.
 */
export function virtualIndex(
  i: Index, predicate: string | undefined, columns: readonly TargetColumn[], names: NameScope, note: Note, ctype?: string,
): { index: TargetIndex | undefined; hidden: HiddenColumn[] } | undefined {
  const partial = i.unique && i.predicate !== undefined;
  const hasExpr = i.keys.some((k) => k.column === undefined);
  if ((!partial && !hasExpr) || (partial && predicate === undefined)) return undefined;
  if (i.method !== 'btree' && i.method !== 'hash') return undefined;
  const parts = i.keys.map((k) => {
    const e = k.column === undefined ? parseKeyExpression(k.expression ?? '') : undefined;
    const col = columns.find((c) => c.name === (k.column ?? e?.column));
    if (col === undefined || col.indexable !== 'yes' || col.autoIncrement || (k.column === undefined && (e === undefined || !col.textual))) return undefined;
    return { col, value: e ? `${e.fn}(${quoteMy(col.name)})` : quoteMy(col.name), plain: e === undefined, descending: k.descending };
  });
  if (parts.some((p) => p === undefined)) return undefined;
  if (hasExpr && i.unique && asciiOnly(ctype)) {
    // MySQL would call 'Ä' and 'ä' duplicates where PostgreSQL does not: the index build would fail after the data.
    note({ level: 'warning', object: i.name, message: `index ${i.name} is not carried: under lc_ctype ${ctype ?? ''} PostgreSQL's lower()/upper() change only ASCII letters, MySQL's change every letter, so MySQL could refuse rows PostgreSQL holds` });
    return { index: undefined, hidden: [] };
  }
  const wanted = (parts as NonNullable<(typeof parts)[number]>[]).filter((p, n, all) => all.findIndex((q) => q.value === p.value) === n);
  if (wanted.length > MAX_KEY_PARTS || wanted.reduce((sum, p) => sum + p.col.maxBytes, 0) > MAX_KEY_BYTES) return undefined;
  const hidden: HiddenColumn[] = [];
  const indexParts: TargetIndexPart[] = wanted.map((p) => {
    if (p.plain && !partial) return { column: p.col.name, descending: p.descending };
    const h = {
      name: shorten(`pgmy_${i.name}${wanted.length > 1 ? `_${hidden.length + 1}` : ''}`),
      sqlType: p.col.sqlType, textual: p.col.textual,
      expr: partial ? `IF(${predicate ?? ''}, ${p.value}, NULL)` : p.value,
    };
    hidden.push(h);
    return { column: h.name, descending: p.descending };
  });
  if (hidden.some((h) => columns.some((c) => c.name.toLowerCase() === h.name.toLowerCase()))) return undefined;
  const kinds = [partial ? `a partial ${i.unique ? 'unique ' : ''}index (WHERE ${i.predicate ?? ''})` : '', hasExpr ? `on ${i.keys.filter((k) => k.expression).map((k) => k.expression).join(', ')}` : '']
    .filter((s) => s !== '').join(', ');
  note({ level: 'info', object: i.name, message: `index ${i.name} is ${kinds}: enforced by an index on invisible generated column${hidden.length > 1 ? 's' : ''} ${hidden.map((h) => `${h.name} = ${h.expr}`).join(', ')}` });
  if (!partial && i.predicate !== undefined) note({ level: 'info', object: i.name, message: `index ${i.name} is partial (WHERE ${i.predicate}); carried as a full index` });
  return { index: { name: names.take(i.name), unique: i.unique, parts: indexParts, source: `index ${i.name}` }, hidden };
}

import type { ForeignKey, Index, KeyConstraint, Sequence, Table } from '../model/catalog.js';
import type { TargetColumn, TargetForeignKey, TargetIndex, TargetIndexPart, TargetTable } from '../model/target.js';
import type { Note } from './map-column.js';
import type { NameScope } from './names.js';
import { MAX_KEY_BYTES, MAX_KEY_PARTS, wholeKeys } from './key-fit.js';

export { MAX_KEY_BYTES };
/** InnoDB's largest row, in bytes. */
export const MAX_ROW_BYTES = 65535;

const INTEGER_TYPES = new Set(['SMALLINT', 'INT', 'BIGINT']);

/** A sequence-fed column that does not become AUTO_INCREMENT, and why. */
export interface PassedSequence { readonly column: string; readonly sequence: Sequence; readonly why: string }

export function chooseAutoIncrement(
  t: Table, columns: readonly TargetColumn[], note: Note, passed: (p: PassedSequence) => void,
): TargetTable['autoIncrement'] {
  const candidates = t.columns.filter((c) => c.sequence && (c.identity || c.defaultExpr?.startsWith('nextval(')));
  // AUTO_INCREMENT turns a stored NULL (and every later explicit NULL) into a generated number: only a
  // NOT NULL column keeps its values as AUTO_INCREMENT.
  const usable = candidates.filter((c) => {
    const col = columns.find((x) => x.name === c.name);
    return col !== undefined && !col.nullable && INTEGER_TYPES.has(col.sqlType);
  });
  const chosen = usable.find((c) => c.name === t.primaryKey?.columns[0]) ?? usable[0];
  for (const c of candidates) {
    if (c === chosen || c.sequence === undefined) continue;
    const nullable = columns.find((x) => x.name === c.name)?.nullable === true;
    passed({ column: c.name, sequence: c.sequence, why: nullable
      ? 'the column may hold NULL, which AUTO_INCREMENT would replace by a number (its values, NULLs too, are carried)'
      : 'MySQL allows one AUTO_INCREMENT column per table' });
  }
  if (!chosen?.sequence) return undefined;
  if (chosen.sequence.increment !== '1') {
    note({ level: 'info', column: chosen.name, message: `sequence increments by ${chosen.sequence.increment}; MySQL's AUTO_INCREMENT steps by auto_increment_increment` });
  }
  if (chosen.identity === 'always') {
    note({ level: 'info', column: chosen.name, message: 'GENERATED ALWAYS AS IDENTITY becomes AUTO_INCREMENT, which also accepts explicit values' });
  }
  if (chosen.sequence.unreadable) {
    // AUTO_INCREMENT = 1 makes InnoDB continue after the largest value loaded.
    note({ level: 'warning', column: chosen.name, message: `the source role may not read sequence ${chosen.sequence.schema}.${chosen.sequence.name} (GRANT SELECT ON SEQUENCE ${chosen.sequence.schema}.${chosen.sequence.name} to carry where it stands): AUTO_INCREMENT continues after the largest value loaded` });
    return { column: chosen.name, next: '1' };
  }
  return { column: chosen.name, next: chosen.sequence.nextValue };
}

/** Moves the widest VARCHARs that no index needs whole to LONGTEXT until the row fits 65,535 bytes. */
export function fitRowSize(columns: TargetColumn[], t: Table, note: Note): TargetColumn[] {
  const total = (cols: readonly TargetColumn[]) => cols.reduce((sum, c) => sum + c.maxBytes, 0);
  if (total(columns) <= MAX_ROW_BYTES) return columns;
  const keyed = new Set(wholeKeys(t).flat());
  const out = [...columns];
  const order = out.map((c, i) => ({ c, i })).filter(({ c }) => c.sqlType.startsWith('VARCHAR') && !keyed.has(c.name))
    .sort((a, b) => b.c.maxBytes - a.c.maxBytes);
  for (const { c, i } of order) {
    if (total(out) <= MAX_ROW_BYTES) break;
    out[i] = { ...c, sqlType: 'LONGTEXT', maxBytes: 12, indexable: 'prefix', rule: { ...c.rule, flags: [...c.rule.flags, 'row-size'] } };
    note({ level: 'info', column: c.name, message: `${c.sqlType} becomes LONGTEXT so that the row fits MySQL's 65,535-byte limit` });
  }
  if (total(out) > MAX_ROW_BYTES) note({ level: 'error', message: `rows would exceed MySQL's 65,535-byte limit even with wide columns as LONGTEXT` });
  return out;
}

export function keyIndex(k: KeyConstraint, unique: boolean, source: string, columns: readonly TargetColumn[], names: NameScope, note: Note): TargetIndex | undefined {
  return buildIndex(k.name, unique, source, k.columns.map((c) => ({ column: c, descending: false })), columns, names, note);
}

export function mapIndex(i: Index, columns: readonly TargetColumn[], names: NameScope, note: Note): TargetIndex | undefined {
  const what = `index ${i.name}`;
  if (i.expressions !== undefined || i.keys.some((k) => k.column === undefined)) {
    note({ level: 'warning', object: i.name, message: `${what} is on an expression, which pgmy does not carry: ${i.definition}` });
    return undefined;
  }
  if (i.method !== 'btree' && i.method !== 'hash') {
    note({ level: 'warning', object: i.name, message: `${what} uses the ${i.method} access method, which MySQL has no equivalent of; not carried` });
    return undefined;
  }
  if (i.predicate !== undefined) {
    if (i.unique) {
      note({ level: 'warning', object: i.name, message: `${what} is a partial unique index (WHERE ${i.predicate}) whose condition MySQL cannot say; not carried` });
      return undefined;
    }
    note({ level: 'info', object: i.name, message: `${what} is partial (WHERE ${i.predicate}); carried as a full index` });
  }
  if (i.includeColumns.length > 0) {
    note({ level: 'info', object: i.name, message: `${what}: INCLUDE (${i.includeColumns.join(', ')}) is dropped; MySQL has no covering-only columns` });
  }
  const parts = i.keys.map((k) => ({ column: k.column ?? '', descending: k.descending }));
  return buildIndex(i.name, i.unique, what, parts, columns, names, note);
}

export { MAX_KEY_PARTS };

function buildIndex(
  name: string, unique: boolean, source: string, listed: readonly TargetIndexPart[],
  columns: readonly TargetColumn[], names: NameScope, note: Note,
): TargetIndex | undefined {
  // PostgreSQL accepts (a, a); MySQL refuses a column named twice. The second mention adds nothing to order or uniqueness.
  const wanted = listed.filter((p, i) => listed.findIndex((q) => q.column === p.column) === i);
  if (wanted.length < listed.length) note({ level: 'info', object: name, message: `${source} names a column twice; MySQL refuses that, so it is listed once (the key means the same)` });
  if (wanted.length > MAX_KEY_PARTS) {
    note({ level: unique ? 'error' : 'warning', object: name, message: `${source} has ${wanted.length} columns; MySQL allows at most ${MAX_KEY_PARTS} in one index${unique ? '' : '; not carried'}` });
    return undefined;
  }
  const cols = wanted.map((p) => columns.find((c) => c.name === p.column));
  if (cols.some((c) => c === undefined || c.indexable === 'no')) {
    note({ level: unique ? 'error' : 'warning', object: name, message: `${source}: a key column has a type MySQL cannot index (JSON)${unique ? '' : '; not carried'}` });
    return undefined;
  }
  const fixed = cols.reduce((sum, c) => sum + (c && c.indexable === 'yes' ? c.maxBytes : 0), 0);
  const prefixed = cols.filter((c) => c?.indexable === 'prefix').length;
  if (unique && (prefixed > 0 || fixed > MAX_KEY_BYTES)) {
    note({ level: 'error', object: name,
      message: `${source} on (${wanted.map((p) => p.column).join(', ')}) needs more than MySQL's ${MAX_KEY_BYTES}-byte key or a TEXT prefix; it could not be enforced exactly` });
    return undefined;
  }
  if (!unique && fixed > MAX_KEY_BYTES) {
    note({ level: 'warning', object: name, message: `${source} is longer than MySQL's ${MAX_KEY_BYTES}-byte key limit; not carried` });
    return undefined;
  }
  const prefixChars = prefixed > 0 ? Math.min(768, Math.floor((MAX_KEY_BYTES - fixed) / 4 / prefixed)) : 0;
  const parts = wanted.map((p, n) => (cols[n]?.indexable === 'prefix' ? { ...p, prefixChars } : p));
  if (prefixed > 0) note({ level: 'info', object: name, message: `${source} indexes the first ${prefixChars} characters of its TEXT/BLOB columns` });
  return { name: names.take(name), unique, parts, source };
}

export function mapForeignKey(fk: ForeignKey, dumped: ReadonlySet<string>, names: NameScope, note: Note): TargetForeignKey[] {
  const ref = `${fk.refSchema}.${fk.refTable}`;
  if (!dumped.has(ref)) {
    note({ level: 'warning', object: fk.name, message: `foreign key ${fk.name} references ${ref}, which is not in this dump; not carried` });
    return [];
  }
  const action = (a: string, which: string): string => {
    if (a !== 'SET DEFAULT') return a;
    note({ level: 'warning', object: fk.name, message: `foreign key ${fk.name}: ON ${which} SET DEFAULT is not supported by InnoDB; NO ACTION is used` });
    return 'NO ACTION';
  };
  if (fk.deferrable) note({ level: 'info', object: fk.name, message: `foreign key ${fk.name} is DEFERRABLE in PostgreSQL; MySQL checks it immediately` });
  if (fk.matchFull) note({ level: 'info', object: fk.name, message: `foreign key ${fk.name} is MATCH FULL; MySQL uses MATCH SIMPLE` });
  return [{
    name: names.take(fk.name), columns: fk.columns, refTable: fk.refTable, refColumns: fk.refColumns,
    onDelete: action(fk.onDelete, 'DELETE'), onUpdate: action(fk.onUpdate, 'UPDATE'),
  }];
}

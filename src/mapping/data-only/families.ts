import type { ExistingColumn } from '../../target/mysql/existing-columns.js';

/**
 * How a dumped value becomes a value of a column a framework created. The dump wrote each value in the form
 * its own mapping chose (the `rule`); the target column's type decides the rest. Pairs without a rule here
 * are refused before any data moves.
 */
export type Conversion =
  | { readonly kind: 'direct' }
  | { readonly kind: 'sql'; readonly expr: string; readonly why: string }
  | { readonly kind: 'js'; readonly fn: 'interval-micros'; readonly why: string };

export type Family = 'int' | 'bool' | 'decimal' | 'float' | 'text' | 'binary' | 'date' | 'datetime' | 'time' | 'json' | 'enum' | 'other';

export function family(c: ExistingColumn): Family {
  const t = c.dataType;
  if (t === 'tinyint' && /^tinyint\(1\)/.test(c.columnType)) return 'bool';
  if (['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'].includes(t)) return 'int';
  if (t === 'decimal' || t === 'numeric') return 'decimal';
  if (t === 'float' || t === 'double' || t === 'real') return 'float';
  if (['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext'].includes(t)) return 'text';
  if (['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob'].includes(t)) return 'binary';
  if (t === 'date') return 'date';
  if (t === 'datetime' || t === 'timestamp') return 'datetime';
  if (t === 'time') return 'time';
  if (t === 'json') return 'json';
  if (t === 'enum' || t === 'set') return 'enum';
  return 'other';
}

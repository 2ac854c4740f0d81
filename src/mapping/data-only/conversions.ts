import type { TargetColumn } from '../../model/target.js';
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

type Family = 'int' | 'bool' | 'decimal' | 'float' | 'text' | 'binary' | 'date' | 'datetime' | 'time' | 'json' | 'enum' | 'other';

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

const TEXT_LIKE = new Set(['char', 'varchar', 'text', 'name', 'enum', 'enum-as-varchar', 'timetz', 'inet', 'macaddr', 'xml',
  'text-search', 'geometric', 'range', 'text-form', 'bit', 'reg', 'char1', 'json', 'array', 'composite', 'hstore', 'uuid', 'interval']);
const NUMBERS = new Set(['smallint', 'integer', 'bigint', 'oid', 'xid8', 'numeric', 'money', 'real', 'double', 'boolean']);

/** The conversion for a (dumped column, target column) pair, or a reason there is none. */
export function conversionFor(src: TargetColumn, dst: ExistingColumn): Conversion | string {
  const rule = src.rule.kind;
  const f = family(dst);
  if (src.rule.transform === 'text' && f === 'text') return { kind: 'direct' };
  if (rule === 'uuid') {
    if (f === 'text' && dst.maxChars === 32) return { kind: 'sql', expr: "REPLACE(@v, '-', '')", why: 'the 32 hex digits without dashes (Django\'s UUIDField on MySQL)' };
    if (f === 'binary' && /\(16\)/.test(dst.columnType)) return { kind: 'sql', expr: "UNHEX(REPLACE(@v, '-', ''))", why: 'the 16 bytes' };
    if (f === 'text' && (dst.maxChars ?? 0) >= 36) return { kind: 'direct' };
  }
  if (rule === 'interval') {
    if (f === 'int') return { kind: 'js', fn: 'interval-micros', why: 'microseconds (Django\'s DurationField on MySQL); intervals with months or years are refused' };
    if (f === 'text') return { kind: 'direct' };
  }
  if (rule === 'bytea' && f === 'binary') return { kind: 'sql', expr: 'UNHEX(@v)', why: 'the bytes' };
  if (rule === 'boolean' && (f === 'bool' || f === 'int')) return { kind: 'direct' };
  if (NUMBERS.has(rule) && rule !== 'boolean' && (f === 'int' || f === 'decimal' || f === 'float' || f === 'bool')) return { kind: 'direct' };
  if (['json', 'array', 'composite', 'hstore'].includes(rule) && (f === 'json' || f === 'text')) return { kind: 'direct' };
  if (TEXT_LIKE.has(rule) && (f === 'text' || f === 'enum') && rule !== 'uuid' && rule !== 'interval') return { kind: 'direct' };
  if (rule === 'date' && (f === 'date' || f === 'datetime')) return { kind: 'direct' };
  if ((rule === 'timestamp' || rule === 'timestamptz') && f === 'datetime') return { kind: 'direct' };
  if (rule === 'time' && f === 'time') return { kind: 'direct' };
  return `no rule turns a PostgreSQL ${src.sourceType} (dumped as ${src.sqlType}) into ${dst.columnType}`;
}

/** ISO 8601 interval text (as pgmy dumps it) to microseconds; throws for years and months, which have no fixed length. */
export function intervalMicros(iso: string): string {
  const m = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) throw new Error(`"${iso}" is not an ISO 8601 interval`);
  if ((m[1] && m[1] !== '0') || (m[2] && m[2] !== '0')) throw new Error(`${iso} has years or months, which have no fixed number of microseconds`);
  const days = BigInt(m[3] ?? 0);
  const hours = BigInt(m[4] ?? 0);
  const minutes = BigInt(m[5] ?? 0);
  const sec = m[6] ?? '0';
  const negative = sec.startsWith('-');
  const [whole = '0', frac = ''] = sec.replace('-', '').split('.');
  const secMicros = BigInt(whole) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
  const total = ((days * 24n + hours) * 60n + minutes) * 60_000_000n + (negative ? -secMicros : secMicros);
  return total.toString();
}

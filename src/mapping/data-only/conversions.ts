import type { TargetColumn } from '../../model/target.js';
import type { ExistingColumn } from '../../target/mysql/existing-columns.js';
import { ruleById } from '../type-rules.js';
import { family, type Conversion } from './families.js';

export { family, type Conversion, type Family } from './families.js';

/**
 * The conversion for a (dumped column, target column) pair, or a reason there is none: the column's type rule
 * says which target families its values go into and how (type-rules and base-types hold them).
 */
export function conversionFor(src: TargetColumn, dst: ExistingColumn): Conversion | string {
  const f = family(dst);
  if (src.rule.transform === 'text' && f === 'text') return { kind: 'direct' };
  const rule = ruleById(src.rule.kind);
  const found = rule?.convert?.(f, dst) ?? rule?.into?.[f];
  return found ?? `no rule turns a PostgreSQL ${src.sourceType} (dumped as ${src.sqlType}) into ${dst.columnType}`;
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

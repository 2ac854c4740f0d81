import type { CompareKind } from '../mapping/type-rules.js';
import type { ColumnCanon } from '../mapping/compare-form.js';

/** Whether two rendered values mean the same. NULL is only equal to NULL; -0 is not 0. */
export function sameValue(kind: CompareKind, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  switch (kind) {
    case 'float4': return Object.is(Math.fround(parseFloatText(a)), Math.fround(parseFloatText(b)));
    case 'float8': return Object.is(parseFloatText(a), parseFloatText(b));
    case 'json': return canonicalJson(a) === canonicalJson(b);
    case 'decimal': return /^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b) && compareDecimal(a, b) === 0;
    default: return false;
  }
}

/** A value in the form used for hashing rows of tables without a key. */
export function normalForm(kind: CompareKind, v: string | null): string {
  if (v === null) return '\\N';
  if (kind === 'float4') return floatKey(Math.fround(parseFloatText(v)));
  if (kind === 'float8') return floatKey(parseFloatText(v));
  if (kind === 'json') return canonicalJson(v) ?? v;
  if (kind === 'decimal' && /^-?\d+\.\d+$/.test(v)) return v.replace(/\.?0+$/, '').replace(/^-0$/, '0');
  return v;
}

function floatKey(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function parseFloatText(s: string): number {
  if (/^-?infinity$/i.test(s) || /^-?inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return Number(s);
}

function canonicalJson(s: string): string | undefined {
  try {
    return JSON.stringify(sortKeys(JSON.parse(s)));
  } catch {
    return undefined;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Compares key values the way both servers order them (binary collation, so UTF-8 byte order for text). */
export function compareKey(order: ColumnCanon['order'], a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  switch (order) {
    case 'integer': {
      const x = BigInt(a);
      const y = BigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'number': return Math.sign(parseFloatText(a) - parseFloatText(b));
    case 'decimal': return compareDecimal(a, b);
    default: return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
}

export function compareDecimal(a: string, b: string): number {
  const neg = (s: string) => s.startsWith('-');
  if (neg(a) !== neg(b)) return neg(a) ? -1 : 1;
  const sign = neg(a) ? -1 : 1;
  const [ai = '', af = ''] = a.replace(/^[-+]/, '').split('.');
  const [bi = '', bf = ''] = b.replace(/^[-+]/, '').split('.');
  const ia = ai.replace(/^0+(?=\d)/, '');
  const ib = bi.replace(/^0+(?=\d)/, '');
  if (ia.length !== ib.length) return sign * (ia.length < ib.length ? -1 : 1);
  if (ia !== ib) return sign * (ia < ib ? -1 : 1);
  const width = Math.max(af.length, bf.length);
  const fa = af.padEnd(width, '0');
  const fb = bf.padEnd(width, '0');
  return fa === fb ? 0 : sign * (fa < fb ? -1 : 1);
}

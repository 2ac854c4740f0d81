import { quoteMy } from '../target/mysql/quote.js';
import { quotePg } from '../source/postgres/quote.js';
import type { TargetColumn } from '../model/target.js';
import { ruleById, type CompareKind, type KeyOrder, type VerifyForm } from '../mapping/type-rules.js';

/**
 * How a column's values are compared: each side renders the value as text in SQL, in the same form where the
 * servers allow it (the column's type rule says how: VerifyForm); `compare` says how two texts are judged
 * equal when the forms cannot be made the same.
 */
export type { CompareKind } from '../mapping/type-rules.js';

export interface ColumnCanon {
  readonly name: string;
  readonly pg: string;
  readonly my: string;
  readonly compare: CompareKind;
  /** How key values sort on both servers, for the ordered merge. */
  readonly order: KeyOrder;
  /** The MySQL column, when its name differs from the source's (--data-only). */
  readonly myColumn?: string;
  /** How the MySQL side's bytes become text: `hex` for binary columns read as they are. */
  readonly myForm?: 'hex';
}

const STRING_TYPE = /^(VARCHAR|CHAR|TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT|ENUM|JSON)\b/i;
/** Plain text on both sides, for a rule with no form of its own and for values carried as text. */
const TEXT_FORM: VerifyForm = {};

export function canonFor(c: TargetColumn): ColumnCanon {
  const canon = baseCanon(c);
  // Values the policy wrote as NULL are expected to be NULL in the target.
  return c.nullWhen ? { ...canon, pg: `CASE WHEN ${c.nullWhen} THEN NULL ELSE ${canon.pg} END` } : canon;
}

function baseCanon(c: TargetColumn): ColumnCanon {
  const form = c.rule.transform === 'text' ? TEXT_FORM : ruleById(c.rule.kind)?.verify ?? TEXT_FORM;
  const col = quoteMy(c.name);
  // A string column is read as it is: a function of it (CAST, HEX) returns NULL past max_allowed_packet
  // (16 MiB by default), which made every large value a difference.
  const asText = STRING_TYPE.test(c.sqlType) ? col : `CAST(${col} AS CHAR)`;
  const parts: Record<string, string> = { pg: quotePg(c.name), expr: c.selectExpr, my: asText, col };
  // One pass: a column named like a placeholder must not be filled in again.
  const fillIn = (template: string) => template.replace(/\{(pg|expr|my|col)\}/g, (_m, k: string) => parts[k] ?? '');
  return {
    name: c.name, pg: fillIn(form.pg ?? '{pg}::text'), my: fillIn(form.my ?? '{my}'),
    compare: form.compare ?? 'text', order: form.order ?? 'bytes', ...(form.myForm ? { myForm: form.myForm } : {}),
  };
}

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

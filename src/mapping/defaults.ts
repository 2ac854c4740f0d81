import { literalMy } from '../target/mysql/quote.js';

/**
 * Translates a PostgreSQL column default into MySQL DEFAULT text that is valid on MySQL 8.0.13+ and MariaDB
 * 10.6+, or says it cannot. Sequence defaults are not handled here: they become AUTO_INCREMENT.
 */
export type DefaultTranslation =
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'sequence' }
  | { readonly kind: 'none'; readonly reason: string };

export interface DefaultContext {
  readonly pgType: string;
  /** TEXT, BLOB and JSON columns take literal defaults only as parenthesised expressions in MySQL 8. */
  readonly needsExpression: boolean;
  readonly fractionalDigits?: number;
  /** An array column: its element type's name (`int4`, `text`); the default becomes the JSON array pgmy dumps. */
  readonly arrayOf?: string;
  /**
   * A literal default as pgmy dumps that value (the column's COPY expression applied to it by PostgreSQL,
   * plan's default probe): the MySQL default is then the very text LOAD DATA would load, so that an omitted
   * column gets the value PostgreSQL's default gives (an interval '00:05:00' is PT5M there). Null: NULL;
   * false: a value MySQL cannot hold (found by the column's value checks).
   */
  readonly dumped?: DumpedDefault;
  /** The uuid column holds 32 hex digits (--conventions django). */
  readonly uuidHex?: boolean;
}

/** A literal default as pgmy dumps it: the text, NULL, or false for a value MySQL cannot hold. */
export type DumpedDefault = string | null | false;

/** A default PostgreSQL can evaluate once to a constant: a number or a quoted literal, with casts. */
export function isLiteralDefault(expr: string): boolean {
  const e = stripCast(expr);
  return /^\(?-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\)?$/.test(e) || /^'((?:[^']|'')*)'$/.test(e);
}

const NOW_FUNCTIONS = /^(now\(\)|CURRENT_TIMESTAMP|transaction_timestamp\(\)|statement_timestamp\(\)|LOCALTIMESTAMP|clock_timestamp\(\))$/i;

export function translateDefault(expr: string, ctx: DefaultContext): DefaultTranslation {
  const e = stripCast(expr);
  if (/^nextval\(/i.test(e)) return { kind: 'sequence' };
  if (/^NULL$/i.test(e)) return { kind: 'sql', sql: 'NULL' };
  if (/^(true|false)$/i.test(e)) {
    return ctx.pgType === 'bool' ? { kind: 'sql', sql: e.toLowerCase() === 'true' ? '1' : '0' } : none(expr);
  }
  if (ctx.dumped !== undefined && isLiteralDefault(expr)) {
    if (ctx.dumped === null) return { kind: 'sql', sql: 'NULL' };
    if (ctx.dumped === false) return { kind: 'none', reason: `default ${expr} is a value MySQL cannot hold; not carried` };
    // Quoted even for numbers: MySQL converts the text as LOAD DATA does ('007' stays '007' in a VARCHAR).
    return { kind: 'sql', sql: wrap(literalMy(ctx.dumped), ctx) };
  }
  const num = /^\(?(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\)?$/.exec(e);
  if (num?.[1] !== undefined) return { kind: 'sql', sql: wrap(num[1], ctx) };
  const str = /^'((?:[^']|'')*)'$/.exec(e);
  if (str?.[1] !== undefined && ctx.arrayOf !== undefined) {
    const json = arrayLiteralJson(str[1].replace(/''/g, "'"), ctx.arrayOf);
    return json === undefined ? none(expr) : { kind: 'sql', sql: `(${literalMy(json)})` };
  }
  if (ctx.arrayOf !== undefined || ctx.pgType === 'array') return none(expr);
  if (str?.[1] !== undefined) {
    const value = str[1].replace(/''/g, "'");
    if (ctx.pgType === 'bool') return { kind: 'sql', sql: /^(t|true|y|yes|on|1)$/i.test(value) ? '1' : '0' };
    if (ctx.pgType === 'bytea') return none(expr);
    if (ctx.pgType === 'timestamptz') return none(expr);
    return { kind: 'sql', sql: wrap(literalMy(value), ctx) };
  }
  if (NOW_FUNCTIONS.test(e)) {
    const fsp = ctx.fractionalDigits ?? 0;
    if (ctx.pgType === 'timestamptz') return { kind: 'sql', sql: `(UTC_TIMESTAMP(${fsp}))` };
    if (ctx.pgType === 'timestamp') return { kind: 'sql', sql: `CURRENT_TIMESTAMP(${fsp})` };
    return none(expr);
  }
  if (/^CURRENT_DATE$/i.test(e) && ctx.pgType === 'date') return { kind: 'sql', sql: '(CURRENT_DATE)' };
  // MySQL's UUID() is version 1 (time and node), PostgreSQL's version 4 (random): both a fresh unique id.
  if (/^gen_random_uuid\(\)$|^uuid_generate_v[14]\(\)$/i.test(e) && ctx.pgType === 'uuid') {
    return { kind: 'sql', sql: ctx.uuidHex ? "(REPLACE(UUID(), '-', ''))" : '(UUID())' };
  }
  return none(expr);
}

function none(expr: string): DefaultTranslation {
  return { kind: 'none', reason: `default ${expr} has no MySQL equivalent pgmy knows; not carried` };
}

function wrap(sql: string, ctx: DefaultContext): string {
  return ctx.needsExpression ? `(${sql})` : sql;
}

/** Removes trailing `::type` casts, as in `'abc'::character varying` or `'G'::public.mpaa_rating`. */
export function stripCast(expr: string): string {
  let out = expr.trim();
  for (let before = ''; before !== out;) {
    before = out;
    const at = lastCastOutsideQuotes(out);
    if (at >= 0 && /^[\w ."$]+(\(\d+(,\s*\d+)?\))?(\[\])*$/.test(out.slice(at + 2))) out = out.slice(0, at).trim();
    if (out.startsWith('(') && out.endsWith(')') && balanced(out.slice(1, -1))) out = out.slice(1, -1).trim();
  }
  return out;
}

function lastCastOutsideQuotes(s: string): number {
  let inQuote = false;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") inQuote = !inQuote;
    else if (!inQuote && c === ':' && s[i + 1] === ':') {
      last = i;
      i++;
    }
  }
  return inQuote ? -1 : last;
}

function balanced(s: string): boolean {
  let depth = 0;
  let inQuote = false;
  for (const c of s) {
    if (c === "'") inQuote = !inQuote;
    else if (!inQuote && c === '(') depth++;
    else if (!inQuote && c === ')' && --depth < 0) return false;
  }
  return depth === 0 && !inQuote;
}

const NUMBER_ELEMENTS = new Set(['int2', 'int4', 'int8', 'numeric']);
const TEXT_ELEMENTS = new Set(['text', 'varchar', 'bpchar']);

/**
 * A one-dimensional PostgreSQL array literal (`{}`, `{1,2}`, `{a,"b c",NULL}`) as the JSON text to_json()
 * gives for it, which is how pgmy carries arrays; undefined for anything else (nested, other element types).
 */
export function arrayLiteralJson(literal: string, element: string): string | undefined {
  const m = /^\{(.*)\}$/s.exec(literal.trim());
  if (m?.[1] === undefined) return undefined;
  const body = m[1];
  if (body.trim() === '') return '[]';
  const items: Array<string | null> = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,{}"\\]*?))\s*(,|$)/gy;
  for (let at = 0; at < body.length;) {
    re.lastIndex = at;
    const x = re.exec(body);
    if (!x) return undefined;
    if (x[1] !== undefined) items.push(x[1].replace(/\\(.)/g, '$1'));
    else if (/^NULL$/i.test(x[2] ?? '')) items.push(null);
    else items.push(x[2] ?? '');
    at = re.lastIndex;
    if (x[3] === '') break;
  }
  if (NUMBER_ELEMENTS.has(element)) {
    if (items.some((v) => v !== null && !/^-?\d+(\.\d+)?$/.test(v))) return undefined;
    return `[${items.map((v) => (v === null ? 'null' : element === 'numeric' ? v : String(BigInt(v)))).join(',')}]`;
  }
  if (TEXT_ELEMENTS.has(element)) return JSON.stringify(items);
  if (element === 'bool') {
    const b = items.map((v) => (v === null ? null : /^(t|true)$/i.test(v) ? true : /^(f|false)$/i.test(v) ? false : undefined));
    return b.includes(undefined) ? undefined : JSON.stringify(b);
  }
  return undefined;
}

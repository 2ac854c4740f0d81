import type { ColumnType } from '../model/catalog.js';
import type { LoadTransform } from '../model/target.js';

/**
 * The type map, as data: each rule matches PostgreSQL base types by name and says which MySQL type keeps the
 * meaning, how the value is rendered in COPY's SELECT, and how LOAD DATA assigns it. The README's mapping
 * table is generated from this list (test/unit/readme-types.test.ts keeps them in step).
 */
export interface TypeChoice {
  readonly sqlType: string;
  readonly maxBytes: number;
  readonly textual?: boolean;
  readonly indexable?: 'yes' | 'prefix' | 'no';
  readonly note?: string;
}

/** A kind of value MySQL cannot hold, found by scanning the source: `%s` is the quoted column. */
export interface ValueCheck {
  readonly id: string;
  readonly predicate: string;
  readonly problem: string;
}

/** What a scan of the column's data found, for rules whose choice depends on the values. */
export interface ColumnStats {
  readonly rows: number;
  /** numeric: most digits before the point, and after it. */
  readonly maxIntDigits?: number | null | undefined;
  readonly maxScale?: number | null | undefined;
}

export interface TypeRule {
  readonly id: string;
  readonly pg: readonly string[];
  /** The PostgreSQL side as the README shows it. */
  readonly pgDisplay: string;
  /** The MySQL side as the README shows it. */
  readonly mysqlDisplay: string;
  readonly why: string;
  /** Returns the MySQL type, or a string saying why the column cannot be carried. */
  readonly choose: (t: ColumnType, stats?: ColumnStats) => TypeChoice | string;
  /** Values of this type MySQL cannot hold; the source is scanned for them before any data moves. */
  readonly checks?: readonly ValueCheck[];
  /** Statistics `choose` needs from the data (numeric without precision). */
  readonly needsStats?: (t: ColumnType) => boolean;
  /** `%s` stands for the quoted column. */
  readonly select?: string;
  readonly load?: LoadTransform;
}

const UTF8MB4 = 4;
/** VARCHAR(n) of utf8mb4 beyond this cannot fit a 65,535-byte row at all. */
export const MAX_VARCHAR_CHARS = 16383;

function charLength(t: ColumnType): number | undefined {
  return t.typmod >= 4 ? t.typmod - 4 : undefined;
}

function fractionalDigits(t: ColumnType): number {
  return t.typmod >= 0 && t.typmod <= 6 ? t.typmod : 6;
}

export function numericPrecision(typmod: number): { precision: number; scale: number } | undefined {
  if (typmod < 4) return undefined;
  const m = typmod - 4;
  // Since PostgreSQL 15 the scale is an 11-bit signed number (it may be negative).
  return { precision: (m >> 16) & 0xffff, scale: ((m & 0x7ff) ^ 1024) - 1024 };
}

const NAN: ValueCheck = { id: 'nan', predicate: "%s = 'NaN'", problem: 'NaN, which MySQL cannot store' };
const INFINITE: ValueCheck = { id: 'infinity', predicate: "%s IN ('Infinity', '-Infinity')", problem: 'Infinity or -Infinity, which MySQL cannot store' };
const NEGATIVE_ZERO: ValueCheck = { id: 'negative-zero', predicate: "%s = 0 AND %s::text LIKE '-%'", problem: '-0, which MySQL and MariaDB store as 0' };
const FLOAT_CHECKS = [NAN, INFINITE, NEGATIVE_ZERO];
const dateRange = (expr: string, high: string): ValueCheck => ({
  id: 'date-range', predicate: `NOT (${expr} BETWEEN '0001-01-01' AND '${high}')`,
  problem: 'dates before 0001-01-01 (BC), after 9999-12-31, or infinity, which MySQL cannot store',
});
export const ARRAY_BOUNDS: ValueCheck = {
  id: 'array-bounds', predicate: "array_dims(%s) ~ '\\[(?!1:)'", problem: 'arrays whose index does not start at 1, which JSON cannot say',
};

/** What precision a numeric without one needs, from the scanned values. */
function scannedDecimal(stats: ColumnStats | undefined): TypeChoice | string {
  if (!stats || stats.maxScale === undefined) return 'numeric without a declared precision needs a scan of its values (it was skipped)';
  const scale = stats.maxScale ?? 0;
  const precision = Math.max(1, (stats.maxIntDigits ?? 1) + scale);
  if (stats.maxScale === null && stats.maxIntDigits === null) {
    return { sqlType: 'DECIMAL(65,30)', maxBytes: 30, note: 'no values to measure: the widest DECIMAL' };
  }
  if (precision > 65 || scale > 30) {
    return `numeric values need ${precision} digits with ${scale} after the point; MySQL's DECIMAL holds at most 65, 30 after the point`;
  }
  return { sqlType: `DECIMAL(${precision},${scale})`, maxBytes: Math.ceil(precision / 2) + 1, note: `chosen from the data: up to ${precision - scale} digits before the point and ${scale} after` };
}

export const TYPE_RULES: readonly TypeRule[] = [
  { id: 'smallint', pg: ['int2'], pgDisplay: 'smallint', mysqlDisplay: 'SMALLINT', why: 'same range',
    choose: () => ({ sqlType: 'SMALLINT', maxBytes: 2 }) },
  { id: 'integer', pg: ['int4'], pgDisplay: 'integer, serial', mysqlDisplay: 'INT', why: 'same range',
    choose: () => ({ sqlType: 'INT', maxBytes: 4 }) },
  { id: 'bigint', pg: ['int8'], pgDisplay: 'bigint, bigserial', mysqlDisplay: 'BIGINT', why: 'same range',
    choose: () => ({ sqlType: 'BIGINT', maxBytes: 8 }) },
  { id: 'numeric', pg: ['numeric'], pgDisplay: 'numeric(p,s), numeric', mysqlDisplay: 'DECIMAL(p,s)',
    why: 'exact decimal; p ≤ 65 and 0 ≤ s ≤ 30; numeric without precision gets the smallest DECIMAL that holds every value (scanned)',
    choose: (t, stats) => {
      const ps = numericPrecision(t.typmod);
      if (!ps) return scannedDecimal(stats);
      if (ps.precision > 65 || ps.scale > 30 || ps.scale < 0) {
        return `numeric(${ps.precision},${ps.scale}) is beyond MySQL's DECIMAL (at most 65 digits, 0 to 30 after the point)`;
      }
      return { sqlType: `DECIMAL(${ps.precision},${ps.scale})`, maxBytes: Math.ceil(ps.precision / 2) + 1 };
    },
    checks: [NAN, INFINITE], needsStats: (t) => !numericPrecision(t.typmod) },
  { id: 'real', pg: ['float4'], pgDisplay: 'real', mysqlDisplay: 'FLOAT',
    why: 'IEEE single precision, written as its exact double value (MariaDB rejects 3.4028235e+38, the largest real); NaN, ±Infinity and -0 are refused',
    choose: () => ({ sqlType: 'FLOAT', maxBytes: 4 }), select: '%s::float8', checks: FLOAT_CHECKS },
  { id: 'double', pg: ['float8'], pgDisplay: 'double precision', mysqlDisplay: 'DOUBLE',
    why: 'IEEE double precision, written with enough digits to round-trip; NaN, ±Infinity and -0 are refused',
    choose: () => ({ sqlType: 'DOUBLE', maxBytes: 8 }), checks: FLOAT_CHECKS },
  { id: 'boolean', pg: ['bool'], pgDisplay: 'boolean', mysqlDisplay: 'TINYINT(1)', why: 'MySQL\'s BOOLEAN; dumped as 0/1',
    choose: () => ({ sqlType: 'TINYINT(1)', maxBytes: 1 }), select: '%s::int' },
  { id: 'char', pg: ['bpchar'], pgDisplay: 'char(n)', mysqlDisplay: 'CHAR(n) (n ≤ 255), else VARCHAR(n)',
    why: 'both ignore trailing spaces; a longer char(n) keeps its value without the padding',
    choose: (t) => {
      const n = charLength(t);
      if (n === undefined) return { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };
      if (n <= 255) return { sqlType: `CHAR(${n})`, maxBytes: n * UTF8MB4, textual: true };
      return n <= MAX_VARCHAR_CHARS
        ? { sqlType: `VARCHAR(${n})`, maxBytes: n * UTF8MB4 + 2, textual: true }
        : { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };
    },
    select: "rtrim(%s, ' ')" },
  { id: 'varchar', pg: ['varchar'], pgDisplay: 'varchar(n)', mysqlDisplay: 'VARCHAR(n) (n ≤ 16383), else LONGTEXT',
    why: 'utf8mb4, binary no-pad collation; unbounded varchar becomes LONGTEXT',
    choose: (t) => {
      const n = charLength(t);
      return n !== undefined && n <= MAX_VARCHAR_CHARS
        ? { sqlType: `VARCHAR(${n})`, maxBytes: n * UTF8MB4 + 2, textual: true }
        : { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };
    } },
  { id: 'text', pg: ['text'], pgDisplay: 'text', mysqlDisplay: 'LONGTEXT',
    why: 'holds any text PostgreSQL can (up to 1 GB), as Django does on MySQL',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }) },
  { id: 'name', pg: ['name'], pgDisplay: 'name', mysqlDisplay: 'VARCHAR(63)', why: 'PostgreSQL identifiers are at most 63 bytes',
    choose: () => ({ sqlType: 'VARCHAR(63)', maxBytes: 63 * UTF8MB4 + 1, textual: true }) },
  { id: 'bytea', pg: ['bytea'], pgDisplay: 'bytea', mysqlDisplay: 'LONGBLOB', why: 'dumped as hex, loaded through UNHEX()',
    choose: () => ({ sqlType: 'LONGBLOB', maxBytes: 12, indexable: 'prefix' }), select: "encode(%s, 'hex')", load: 'unhex' },
  { id: 'date', pg: ['date'], pgDisplay: 'date', mysqlDisplay: 'DATE', why: 'same calendar dates, years 1 to 9999; BC dates and infinity are refused',
    choose: () => ({ sqlType: 'DATE', maxBytes: 3 }), checks: [dateRange('%s', '9999-12-31')] },
  { id: 'timestamp', pg: ['timestamp'], pgDisplay: 'timestamp(p)', mysqlDisplay: 'DATETIME(p)', why: 'wall-clock time, microseconds kept; years 1 to 9999',
    choose: (t) => ({ sqlType: `DATETIME(${fractionalDigits(t)})`, maxBytes: 8 }), checks: [dateRange('%s', '9999-12-31 23:59:59.999999')] },
  { id: 'timestamptz', pg: ['timestamptz'], pgDisplay: 'timestamptz(p)', mysqlDisplay: 'DATETIME(p), UTC',
    why: 'the instant, stored as UTC wall-clock time (MySQL TIMESTAMP ends in 2038); years 1 to 9999',
    choose: (t) => ({ sqlType: `DATETIME(${fractionalDigits(t)})`, maxBytes: 8 }), select: "%s AT TIME ZONE 'UTC'",
    checks: [dateRange("%s AT TIME ZONE 'UTC'", '9999-12-31 23:59:59.999999')] },
  { id: 'time', pg: ['time'], pgDisplay: 'time(p)', mysqlDisplay: 'TIME(p)', why: 'time of day, microseconds kept',
    choose: (t) => ({ sqlType: `TIME(${fractionalDigits(t)})`, maxBytes: 6 }) },
  { id: 'uuid', pg: ['uuid'], pgDisplay: 'uuid', mysqlDisplay: 'CHAR(36) ascii', why: 'the canonical lower-case text form',
    choose: () => ({ sqlType: 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 36 }) },
  { id: 'json', pg: ['json', 'jsonb'], pgDisplay: 'json, jsonb', mysqlDisplay: 'JSON',
    why: 'MariaDB keeps the text exactly; MySQL 8 stores it in its binary JSON form',
    choose: () => ({ sqlType: 'JSON', maxBytes: 12, indexable: 'no' }) },
  { id: 'timetz', pg: ['timetz'], pgDisplay: 'timetz', mysqlDisplay: 'VARCHAR(32) ascii',
    why: 'MySQL has no time with a zone; the text (e.g. 12:00:00+02) keeps both',
    choose: () => ({ sqlType: 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 33 }), select: '%s::text' },
  { id: 'interval', pg: ['interval'], pgDisplay: 'interval', mysqlDisplay: 'VARCHAR(64) ascii, ISO 8601',
    why: 'months, days and microseconds are separate in an interval; the ISO 8601 text (P1Y2M3DT4H5M6.5S) keeps all three',
    choose: () => ({ sqlType: 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 65 }), select: '%s::text' },
  { id: 'money', pg: ['money'], pgDisplay: 'money', mysqlDisplay: 'DECIMAL(22,s)',
    why: 'the amount as numeric under the database\'s own lc_monetary (s is its number of decimals)',
    // The mapper passes the database's money scale (from its lc_monetary) as the typmod.
    choose: (t) => ({ sqlType: `DECIMAL(22,${t.typmod >= 0 ? t.typmod : 2})`, maxBytes: 11 }), select: '%s::numeric' },
  { id: 'bit', pg: ['bit', 'varbit'], pgDisplay: 'bit(n), bit varying(n)', mysqlDisplay: 'VARCHAR(n) ascii of 0/1',
    why: 'the bit string as text; MySQL BIT holds at most 64 bits and no varying length',
    choose: (t) => (t.typmod > 0 && t.typmod <= MAX_VARCHAR_CHARS
      ? { sqlType: `VARCHAR(${t.typmod}) CHARACTER SET ascii COLLATE ascii_bin`, maxBytes: t.typmod + 2 }
      : { sqlType: 'LONGTEXT CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 12, indexable: 'prefix' }),
    select: '%s::text' },
  { id: 'inet', pg: ['inet', 'cidr'], pgDisplay: 'inet, cidr', mysqlDisplay: 'VARCHAR(43) ascii',
    // Not ::text, which always adds the prefix length (192.168.1.1/32); COPY writes the output form.
    why: 'the address as PostgreSQL prints it (a host without /32, a network with its prefix length)',
    choose: () => ({ sqlType: 'VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 44 }) },
  { id: 'macaddr', pg: ['macaddr', 'macaddr8'], pgDisplay: 'macaddr, macaddr8', mysqlDisplay: 'VARCHAR(23) ascii',
    why: 'the canonical text form',
    choose: () => ({ sqlType: 'VARCHAR(23) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 24 }), select: '%s::text' },
  { id: 'xml', pg: ['xml'], pgDisplay: 'xml', mysqlDisplay: 'LONGTEXT', why: 'the document text',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }), select: '%s::text' },
  { id: 'text-search', pg: ['tsvector', 'tsquery'], pgDisplay: 'tsvector, tsquery', mysqlDisplay: 'LONGTEXT',
    why: 'the text form, which PostgreSQL reads back unchanged; MySQL has no such search type',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }), select: '%s::text' },
  { id: 'geometric', pg: ['point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle'], pgDisplay: 'point, line, lseg, box, path, polygon, circle',
    mysqlDisplay: 'LONGTEXT', why: 'the text form with round-trip float digits; MySQL\'s spatial types have no circle or line',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }), select: '%s::text' },
  { id: 'oid', pg: ['oid', 'xid', 'cid'], pgDisplay: 'oid, xid, cid', mysqlDisplay: 'INT UNSIGNED', why: 'unsigned 32-bit numbers',
    choose: () => ({ sqlType: 'INT UNSIGNED', maxBytes: 4 }) },
  { id: 'xid8', pg: ['xid8'], pgDisplay: 'xid8', mysqlDisplay: 'BIGINT UNSIGNED', why: 'unsigned 64-bit number',
    choose: () => ({ sqlType: 'BIGINT UNSIGNED', maxBytes: 8 }), select: '%s::text' },
  { id: 'reg', pg: ['regclass', 'regproc', 'regprocedure', 'regoper', 'regoperator', 'regtype', 'regnamespace', 'regrole', 'regconfig', 'regdictionary', 'regcollation', 'tid', 'pg_lsn'],
    pgDisplay: 'regclass and other reg* types, tid, pg_lsn', mysqlDisplay: 'VARCHAR(255)',
    why: 'the name or text form; the object ids themselves mean nothing outside the source server',
    choose: () => ({ sqlType: 'VARCHAR(255)', maxBytes: 1022, textual: true }), select: '%s::text' },
  { id: 'char1', pg: ['char'], pgDisplay: '"char"', mysqlDisplay: 'VARCHAR(4)', why: 'the one-byte internal type, as text',
    choose: () => ({ sqlType: 'VARCHAR(4)', maxBytes: 17, textual: true }), select: '%s::text' },
];

/** Types that are not of pg_catalog's base types: arrays, composites, ranges, extension types. */
export const ARRAY_RULE = {
  id: 'array', pgDisplay: 'arrays of any type', mysqlDisplay: 'JSON', why: 'a JSON array (nested for several dimensions, null for NULL elements); arrays not starting at index 1 are refused',
} as const;
export const COMPOSITE_RULE = { id: 'composite', pgDisplay: 'composite types', mysqlDisplay: 'JSON', why: 'a JSON object keyed by field name' } as const;
export const RANGE_RULE = { id: 'range', pgDisplay: 'range and multirange types', mysqlDisplay: 'VARCHAR(255) / LONGTEXT', why: 'the text form, e.g. [1,5)' } as const;
export const HSTORE_RULE = { id: 'hstore', pgDisplay: 'hstore', mysqlDisplay: 'JSON', why: 'a JSON object of strings (hstore_to_json)' } as const;
export const TEXT_FORM_RULE = { id: 'text-form', pgDisplay: 'other types (extensions: ltree, citext, PostGIS, …)', mysqlDisplay: 'LONGTEXT', why: 'the type\'s own text form, which PostgreSQL reads back unchanged; listed as a warning' } as const;

export const ENUM_RULE = {
  id: 'enum', pgDisplay: 'enum types', mysqlDisplay: 'ENUM(…)', why: 'the same labels in the same order (VARCHAR when a label has trailing spaces or is empty)',
} as const;

const byName = new Map<string, TypeRule>();
for (const rule of TYPE_RULES) for (const name of rule.pg) byName.set(name, rule);

export function ruleFor(t: ColumnType): TypeRule | undefined {
  return t.kind === 'base' && t.schema === 'pg_catalog' ? byName.get(t.name) : undefined;
}

import { JSON_DEPTH, JSON_SURROGATE, JSONB_DEPTH, JSONB_DEPTH_BEFORE_14 } from './json-checks.js';
import type { ColumnType } from '../model/catalog.js';
import type { ExistingColumn } from '../target/mysql/existing-columns.js';
import type { Conversion, Family } from './data-only/families.js';
import type { ColumnStats, TypeChoice, TypeRule, ValueCheck, VerifyForm } from './type-rule.js';

/** The rules for PostgreSQL's own base types (pg_catalog), by type name. */
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
/** NaN sorts above Infinity: a value that is not between the infinities is NaN or one of them. */
const FLOAT_PREFILTER = "NOT (%s > '-Infinity' AND %s < 'Infinity') OR %s = 0";
/** scale() reads a numeric's header: NULL for NaN and the infinities (and NULL), without comparing values. */
const NUMERIC_PREFILTER = 'scale(%s) IS NULL';
const dateRange = (expr: string, high: string, low = '0001-01-01'): ValueCheck => ({
  id: 'date-range', predicate: `NOT (${expr} BETWEEN '${low}' AND '${high}')`,
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


const DIRECT: Conversion = { kind: 'direct' };
const direct = (...families: Family[]): Partial<Record<Family, Conversion>> => Object.fromEntries(families.map((f) => [f, DIRECT]));
const NUMBER_INTO = direct('int', 'decimal', 'float', 'bool');
export const TEXT_INTO = direct('text', 'enum');
export const JSON_INTO = direct('json', 'text', 'enum');
const INTEGER_FORM: VerifyForm = { order: 'integer' };
const DECIMAL_FORM: VerifyForm = { compare: 'decimal', order: 'decimal' };
export const JSON_FORM: VerifyForm = { compare: 'json' };
/**
 * Dates and times are compared with their era and infinities: to_char() drops BC unless asked for it and
 * gives NULL for infinity, so '0044-03-15 BC' matched '0044-03-15' and infinity matched NULL. MySQL holds
 * neither, so its side always says AD.
 */
const pgWhen = (expr: string, pattern: string) => `CASE WHEN isfinite(${expr}) THEN to_char(${expr}, '${pattern} AD') ELSE (${expr})::text END`;
const myWhen = (format: string) => `CONCAT(DATE_FORMAT({col}, '${format}'), ' AD')`;
const DATETIME_TEXT = myWhen('%Y-%m-%d %H:%i:%s.%f');

/** uuid into a framework's column: Django's 32 hex digits, 16 bytes, or the text as it is. */
function uuidInto(f: Family, dst: ExistingColumn): Conversion | undefined {
  if (f === 'text' && dst.maxChars === 32) return { kind: 'sql', expr: "REPLACE(@v, '-', '')", why: 'the 32 hex digits without dashes (Django\'s UUIDField on MySQL)' };
  if (f === 'binary' && /\(16\)/.test(dst.columnType)) return { kind: 'sql', expr: "UNHEX(REPLACE(@v, '-', ''))", why: 'the 16 bytes' };
  if (f === 'text' && (dst.maxChars ?? 0) >= 36) return DIRECT;
  return undefined;
}

export const TYPE_RULES: readonly TypeRule[] = [
  { id: 'smallint', verify: INTEGER_FORM, into: NUMBER_INTO, pg: ['int2'], pgDisplay: 'smallint', mysqlDisplay: 'SMALLINT', why: 'same range',
    choose: () => ({ sqlType: 'SMALLINT', maxBytes: 2 }) },
  { id: 'integer', verify: INTEGER_FORM, into: NUMBER_INTO, pg: ['int4'], pgDisplay: 'integer, serial', mysqlDisplay: 'INT', why: 'same range',
    choose: () => ({ sqlType: 'INT', maxBytes: 4 }) },
  { id: 'bigint', verify: INTEGER_FORM, into: NUMBER_INTO, pg: ['int8'], pgDisplay: 'bigint, bigserial', mysqlDisplay: 'BIGINT', why: 'same range',
    choose: () => ({ sqlType: 'BIGINT', maxBytes: 8 }) },
  { id: 'numeric', verify: DECIMAL_FORM, into: NUMBER_INTO, pg: ['numeric'], pgDisplay: 'numeric(p,s), numeric', mysqlDisplay: 'DECIMAL(p,s)',
    why: 'exact decimal; p ≤ 65 and 0 ≤ s ≤ 30; numeric without precision gets the smallest DECIMAL that holds every value (scanned)',
    choose: (t, stats) => {
      const ps = numericPrecision(t.typmod);
      if (!ps) return scannedDecimal(stats);
      if (ps.precision > 65 || ps.scale > 30 || ps.scale < 0) {
        return `numeric(${ps.precision},${ps.scale}) is beyond MySQL's DECIMAL (at most 65 digits, 0 to 30 after the point)`;
      }
      return { sqlType: `DECIMAL(${ps.precision},${ps.scale})`, maxBytes: Math.ceil(ps.precision / 2) + 1 };
    },
    // numeric has infinities from PostgreSQL 14 on; before, the literal 'Infinity' is not a numeric at all.
    checks: [NAN, { ...INFINITE, sinceServer: 140000 }], prefilter: NUMERIC_PREFILTER, needsStats: (t) => !numericPrecision(t.typmod) },
  { id: 'real', verify: { pg: '{pg}::float8::text', my: 'CAST(CAST({col} AS DOUBLE) AS CHAR)', compare: 'float8', order: 'number' }, into: NUMBER_INTO, pg: ['float4'], pgDisplay: 'real', mysqlDisplay: 'FLOAT',
    why: 'IEEE single precision, written as its exact double value (MariaDB rejects 3.4028235e+38, the largest real); NaN, ±Infinity and -0 are refused',
    choose: () => ({ sqlType: 'FLOAT', maxBytes: 4 }), select: '%s::float8', checks: FLOAT_CHECKS, prefilter: FLOAT_PREFILTER },
  { id: 'double', verify: { compare: 'float8', order: 'number' }, into: NUMBER_INTO, pg: ['float8'], pgDisplay: 'double precision', mysqlDisplay: 'DOUBLE',
    why: 'IEEE double precision, written with enough digits to round-trip; NaN, ±Infinity and -0 are refused',
    choose: () => ({ sqlType: 'DOUBLE', maxBytes: 8 }), checks: FLOAT_CHECKS, prefilter: FLOAT_PREFILTER },
  { id: 'boolean', verify: { pg: '{pg}::int::text', order: 'integer' }, into: direct('bool', 'int'), pg: ['bool'], pgDisplay: 'boolean', mysqlDisplay: 'TINYINT(1)', why: 'MySQL\'s BOOLEAN; dumped as 0/1',
    choose: () => ({ sqlType: 'TINYINT(1)', maxBytes: 1 }), select: '%s::int' },
  { id: 'char', verify: { pg: "rtrim({pg}, ' ')" }, into: TEXT_INTO, pg: ['bpchar'], pgDisplay: 'char(n)', mysqlDisplay: 'CHAR(n) (n ≤ 255), else VARCHAR(n)',
    why: 'trailing spaces ignored in comparisons on both sides (PAD SPACE utf8mb4_bin); a longer char(n) keeps its value without the padding',
    choose: (t) => {
      const n = charLength(t);
      if (n === undefined) return { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix', padSpace: true };
      if (n <= 255) return { sqlType: `CHAR(${n})`, maxBytes: n * UTF8MB4, textual: true, padSpace: true };
      return n <= MAX_VARCHAR_CHARS
        ? { sqlType: `VARCHAR(${n})`, maxBytes: n * UTF8MB4 + 2, textual: true, padSpace: true }
        : { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix', padSpace: true };
    },
    select: "rtrim(%s, ' ')" },
  { id: 'varchar', into: TEXT_INTO, pg: ['varchar'], pgDisplay: 'varchar(n)', mysqlDisplay: 'VARCHAR(n) (n ≤ 16383), else LONGTEXT',
    why: 'utf8mb4, binary no-pad collation; unbounded varchar becomes LONGTEXT, or VARCHAR(n) sized from the data in a key',
    choose: (t) => {
      const n = charLength(t);
      return n !== undefined && n <= MAX_VARCHAR_CHARS
        ? { sqlType: `VARCHAR(${n})`, maxBytes: n * UTF8MB4 + 2, textual: true }
        : { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };
    } },
  { id: 'text', into: TEXT_INTO, pg: ['text'], pgDisplay: 'text', mysqlDisplay: 'LONGTEXT',
    why: 'holds any text PostgreSQL can (up to 1 GB), as Django does on MySQL; in a key, VARCHAR(n) sized from the data',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }) },
  { id: 'name', into: TEXT_INTO, pg: ['name'], pgDisplay: 'name', mysqlDisplay: 'VARCHAR(63)', why: 'PostgreSQL identifiers are at most 63 bytes',
    choose: () => ({ sqlType: 'VARCHAR(63)', maxBytes: 63 * UTF8MB4 + 1, textual: true }) },
  { id: 'bytea', verify: { pg: "encode({pg}, 'hex')", my: '{col}', myForm: 'hex' }, into: { binary: { kind: 'sql', expr: 'UNHEX(@v)', why: 'the bytes' } }, pg: ['bytea'], pgDisplay: 'bytea', mysqlDisplay: 'LONGBLOB', why: 'dumped as hex, loaded through UNHEX(); in a key, VARBINARY(n) sized from the data',
    choose: () => ({ sqlType: 'LONGBLOB', maxBytes: 12, indexable: 'prefix' }), select: "encode(%s, 'hex')", load: 'unhex' },
  { id: 'date', verify: { pg: pgWhen('{pg}', 'YYYY-MM-DD'), my: myWhen('%Y-%m-%d') }, into: direct('date', 'datetime'), pg: ['date'], pgDisplay: 'date', mysqlDisplay: 'DATE', why: 'same calendar dates, years 1 to 9999; BC dates and infinity are refused',
    choose: () => ({ sqlType: 'DATE', maxBytes: 3 }), checks: [dateRange('%s', '9999-12-31')] },
  { id: 'timestamp', verify: { pg: pgWhen('{pg}', 'YYYY-MM-DD HH24:MI:SS.US'), my: DATETIME_TEXT }, into: direct('datetime'), pg: ['timestamp'], pgDisplay: 'timestamp(p)', mysqlDisplay: 'DATETIME(p)', why: 'wall-clock time, microseconds kept; years 1 to 9999',
    choose: (t) => ({ sqlType: `DATETIME(${fractionalDigits(t)})`, maxBytes: 8 }), checks: [dateRange('%s', '9999-12-31 23:59:59.999999')] },
  { id: 'timestamptz', verify: { pg: pgWhen("{pg} AT TIME ZONE 'UTC'", 'YYYY-MM-DD HH24:MI:SS.US'), my: DATETIME_TEXT }, into: direct('datetime'), pg: ['timestamptz'], pgDisplay: 'timestamptz(p)', mysqlDisplay: 'DATETIME(p), UTC',
    why: 'the instant, stored as UTC wall-clock time (MySQL TIMESTAMP ends in 2038); years 1 to 9999',
    choose: (t) => ({ sqlType: `DATETIME(${fractionalDigits(t)})`, maxBytes: 8 }), select: "%s AT TIME ZONE 'UTC'",
    // The instant against UTC bounds: the same as its UTC wall-clock time against the plain ones, without
    // converting every value.
    checks: [dateRange('%s', '9999-12-31 23:59:59.999999+00', '0001-01-01 00:00:00+00')] },
  { id: 'time', verify: { pg: "to_char({pg}::interval, 'HH24:MI:SS.US')", my: "TIME_FORMAT({col}, '%H:%i:%s.%f')" }, into: direct('time'), pg: ['time'], pgDisplay: 'time(p)', mysqlDisplay: 'TIME(p)', why: 'time of day, microseconds kept',
    choose: (t) => ({ sqlType: `TIME(${fractionalDigits(t)})`, maxBytes: 6 }) },
  { id: 'uuid', convert: uuidInto, pg: ['uuid'], pgDisplay: 'uuid', mysqlDisplay: 'CHAR(36) ascii', why: 'the canonical lower-case text form',
    choose: () => ({ sqlType: 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 36 }) },
  { id: 'json', verify: JSON_FORM, into: JSON_INTO, pg: ['json', 'jsonb'], pgDisplay: 'json, jsonb', mysqlDisplay: 'JSON',
    why: 'MariaDB keeps the text exactly; MySQL 8 stores it in its binary JSON form',
    choose: () => ({ sqlType: 'JSON', maxBytes: 12, indexable: 'no' }), checks: [JSON_DEPTH, JSONB_DEPTH, JSONB_DEPTH_BEFORE_14, JSON_SURROGATE] },
  { id: 'timetz', into: TEXT_INTO, pg: ['timetz'], pgDisplay: 'timetz', mysqlDisplay: 'VARCHAR(32) ascii',
    why: 'MySQL has no time with a zone; the text (e.g. 12:00:00+02) keeps both',
    choose: () => ({ sqlType: 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 33 }), select: '%s::text' },
  { id: 'interval', into: { int: { kind: 'js', fn: 'interval-micros', why: 'microseconds (Django\'s DurationField on MySQL); intervals with months or years are refused' }, text: DIRECT }, pg: ['interval'], pgDisplay: 'interval', mysqlDisplay: 'VARCHAR(64) ascii, ISO 8601',
    why: 'months, days and microseconds are separate in an interval; the ISO 8601 text (P1Y2M3DT4H5M6.5S) keeps all three',
    choose: () => ({ sqlType: 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 65 }), select: '%s::text' },
  { id: 'money', verify: { pg: '{pg}::numeric::text', compare: 'decimal', order: 'decimal' }, into: NUMBER_INTO, pg: ['money'], pgDisplay: 'money', mysqlDisplay: 'DECIMAL(22,s)',
    why: 'the amount as numeric under the database\'s own lc_monetary (s is its number of decimals)',
    // The mapper passes the database's money scale (from its lc_monetary) as the typmod.
    choose: (t) => ({ sqlType: `DECIMAL(22,${t.typmod >= 0 ? t.typmod : 2})`, maxBytes: 11 }), select: '%s::numeric' },
  { id: 'bit', into: TEXT_INTO, pg: ['bit', 'varbit'], pgDisplay: 'bit(n), bit varying(n)', mysqlDisplay: 'VARCHAR(n) ascii of 0/1',
    why: 'the bit string as text; MySQL BIT holds at most 64 bits and no varying length',
    choose: (t) => (t.typmod > 0 && t.typmod <= MAX_VARCHAR_CHARS
      ? { sqlType: `VARCHAR(${t.typmod}) CHARACTER SET ascii COLLATE ascii_bin`, maxBytes: t.typmod + 2 }
      : { sqlType: 'LONGTEXT CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 12, indexable: 'prefix' }),
    select: '%s::text' },
  { id: 'inet', verify: { pg: "CASE WHEN {pg} IS NULL THEN NULL ELSE format('%s', {pg}) END" }, into: TEXT_INTO, pg: ['inet', 'cidr'], pgDisplay: 'inet, cidr', mysqlDisplay: 'VARCHAR(43) ascii',
    // Not ::text, which always adds the prefix length (192.168.1.1/32); COPY writes the output form.
    why: 'the address as PostgreSQL prints it (a host without /32, a network with its prefix length)',
    choose: () => ({ sqlType: 'VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 44 }) },
  { id: 'macaddr', into: TEXT_INTO, pg: ['macaddr', 'macaddr8'], pgDisplay: 'macaddr, macaddr8', mysqlDisplay: 'VARCHAR(23) ascii',
    why: 'the canonical text form',
    choose: () => ({ sqlType: 'VARCHAR(23) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 24 }), select: '%s::text' },
  { id: 'xml', into: TEXT_INTO, pg: ['xml'], pgDisplay: 'xml', mysqlDisplay: 'LONGTEXT', why: 'the document text',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }), select: '%s::text' },
  { id: 'text-search', into: TEXT_INTO, pg: ['tsvector', 'tsquery'], pgDisplay: 'tsvector, tsquery', mysqlDisplay: 'LONGTEXT',
    why: 'the text form, which PostgreSQL reads back unchanged; MySQL has no such search type',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }), select: '%s::text' },
  { id: 'geometric', into: TEXT_INTO, pg: ['point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle'], pgDisplay: 'point, line, lseg, box, path, polygon, circle',
    mysqlDisplay: 'LONGTEXT', why: 'the text form with round-trip float digits; MySQL\'s spatial types have no circle or line',
    choose: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }), select: '%s::text' },
  { id: 'oid', verify: INTEGER_FORM, into: NUMBER_INTO, pg: ['oid', 'xid', 'cid'], pgDisplay: 'oid, xid, cid', mysqlDisplay: 'INT UNSIGNED', why: 'unsigned 32-bit numbers',
    choose: () => ({ sqlType: 'INT UNSIGNED', maxBytes: 4 }) },
  { id: 'xid8', into: NUMBER_INTO, pg: ['xid8'], pgDisplay: 'xid8', mysqlDisplay: 'BIGINT UNSIGNED', why: 'unsigned 64-bit number',
    choose: () => ({ sqlType: 'BIGINT UNSIGNED', maxBytes: 8 }), select: '%s::text' },
  { id: 'reg', into: TEXT_INTO, pg: ['regclass', 'regproc', 'regprocedure', 'regoper', 'regoperator', 'regtype', 'regnamespace', 'regrole', 'regconfig', 'regdictionary', 'regcollation', 'tid', 'pg_lsn'],
    pgDisplay: 'regclass and other reg* types, tid, pg_lsn', mysqlDisplay: 'VARCHAR(255)',
    why: 'the name or text form; the object ids themselves mean nothing outside the source server',
    choose: () => ({ sqlType: 'VARCHAR(255)', maxBytes: 1022, textual: true }), select: '%s::text' },
  { id: 'char1', into: TEXT_INTO, pg: ['char'], pgDisplay: '"char"', mysqlDisplay: 'VARCHAR(4)', why: 'the one-byte internal type, as text',
    choose: () => ({ sqlType: 'VARCHAR(4)', maxBytes: 17, textual: true }), select: '%s::text' },
];

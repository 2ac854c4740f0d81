import type { ColumnType } from '../catalog/model.js';
import type { LoadTransform } from './target-model.js';

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

export interface TypeRule {
  readonly id: string;
  readonly pg: readonly string[];
  /** The PostgreSQL side as the README shows it. */
  readonly pgDisplay: string;
  /** The MySQL side as the README shows it. */
  readonly mysqlDisplay: string;
  readonly why: string;
  /** Returns the MySQL type, or a string saying why the column cannot be carried. */
  readonly choose: (t: ColumnType) => TypeChoice | string;
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

export const TYPE_RULES: readonly TypeRule[] = [
  { id: 'smallint', pg: ['int2'], pgDisplay: 'smallint', mysqlDisplay: 'SMALLINT', why: 'same range',
    choose: () => ({ sqlType: 'SMALLINT', maxBytes: 2 }) },
  { id: 'integer', pg: ['int4'], pgDisplay: 'integer, serial', mysqlDisplay: 'INT', why: 'same range',
    choose: () => ({ sqlType: 'INT', maxBytes: 4 }) },
  { id: 'bigint', pg: ['int8'], pgDisplay: 'bigint, bigserial', mysqlDisplay: 'BIGINT', why: 'same range',
    choose: () => ({ sqlType: 'BIGINT', maxBytes: 8 }) },
  { id: 'numeric', pg: ['numeric'], pgDisplay: 'numeric(p,s)', mysqlDisplay: 'DECIMAL(p,s)',
    why: 'exact decimal; p ≤ 65 and 0 ≤ s ≤ 30 are carried, numeric without precision is refused (for now)',
    choose: (t) => {
      const ps = numericPrecision(t.typmod);
      if (!ps) return 'numeric without a declared precision has no MySQL DECIMAL that surely holds every value';
      if (ps.precision > 65 || ps.scale > 30 || ps.scale < 0) {
        return `numeric(${ps.precision},${ps.scale}) is beyond MySQL's DECIMAL (at most 65 digits, 0 to 30 after the point)`;
      }
      return { sqlType: `DECIMAL(${ps.precision},${ps.scale})`, maxBytes: Math.ceil(ps.precision / 2) + 1 };
    } },
  { id: 'real', pg: ['float4'], pgDisplay: 'real', mysqlDisplay: 'FLOAT',
    why: 'IEEE single precision; written with enough digits to round-trip',
    choose: () => ({ sqlType: 'FLOAT', maxBytes: 4 }) },
  { id: 'double', pg: ['float8'], pgDisplay: 'double precision', mysqlDisplay: 'DOUBLE',
    why: 'IEEE double precision; written with enough digits to round-trip',
    choose: () => ({ sqlType: 'DOUBLE', maxBytes: 8 }) },
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
  { id: 'date', pg: ['date'], pgDisplay: 'date', mysqlDisplay: 'DATE', why: 'same calendar dates (years 1000–9999 guaranteed by MySQL)',
    choose: () => ({ sqlType: 'DATE', maxBytes: 3 }) },
  { id: 'timestamp', pg: ['timestamp'], pgDisplay: 'timestamp(p)', mysqlDisplay: 'DATETIME(p)', why: 'wall-clock time, microseconds kept',
    choose: (t) => ({ sqlType: `DATETIME(${fractionalDigits(t)})`, maxBytes: 8 }) },
  { id: 'timestamptz', pg: ['timestamptz'], pgDisplay: 'timestamptz(p)', mysqlDisplay: 'DATETIME(p), UTC',
    why: 'the instant, stored as UTC wall-clock time (MySQL TIMESTAMP ends in 2038)',
    choose: (t) => ({ sqlType: `DATETIME(${fractionalDigits(t)})`, maxBytes: 8 }), select: "%s AT TIME ZONE 'UTC'" },
  { id: 'time', pg: ['time'], pgDisplay: 'time(p)', mysqlDisplay: 'TIME(p)', why: 'time of day, microseconds kept',
    choose: (t) => ({ sqlType: `TIME(${fractionalDigits(t)})`, maxBytes: 6 }) },
  { id: 'uuid', pg: ['uuid'], pgDisplay: 'uuid', mysqlDisplay: 'CHAR(36) ascii', why: 'the canonical lower-case text form',
    choose: () => ({ sqlType: 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 36 }) },
  { id: 'json', pg: ['json', 'jsonb'], pgDisplay: 'json, jsonb', mysqlDisplay: 'JSON',
    why: 'MariaDB keeps the text exactly; MySQL 8 stores it in its binary JSON form',
    choose: () => ({ sqlType: 'JSON', maxBytes: 12, indexable: 'no' }) },
];

export const ENUM_RULE = {
  id: 'enum', pgDisplay: 'enum types', mysqlDisplay: 'ENUM(…)', why: 'the same labels in the same order',
} as const;

const byName = new Map<string, TypeRule>();
for (const rule of TYPE_RULES) for (const name of rule.pg) byName.set(name, rule);

export function ruleFor(t: ColumnType): TypeRule | undefined {
  return t.kind === 'base' && t.schema === 'pg_catalog' ? byName.get(t.name) : undefined;
}

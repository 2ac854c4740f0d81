import type { TargetColumn } from '../model/target.js';
import type { TypeChoice } from './type-rules.js';

/**
 * The user's say over the mapping (`--cast table.column=TYPE`, `--rename table=name`, or the same in
 * pgmy.json). Keys name a table as `schema.table` or, when the name is unambiguous, `table`.
 */
export interface Overrides {
  /** `[schema.]table.column` → a MySQL column type. */
  readonly casts?: ReadonlyMap<string, string>;
  /** `[schema.]table` → the MySQL table name. */
  readonly renames?: ReadonlyMap<string, string>;
}

const SIZES: Record<string, (n?: number, m?: number) => TypeChoice> = {
  TINYINT: () => ({ sqlType: 'TINYINT', maxBytes: 1 }),
  SMALLINT: () => ({ sqlType: 'SMALLINT', maxBytes: 2 }),
  MEDIUMINT: () => ({ sqlType: 'MEDIUMINT', maxBytes: 3 }),
  INT: () => ({ sqlType: 'INT', maxBytes: 4 }),
  INTEGER: () => ({ sqlType: 'INT', maxBytes: 4 }),
  BIGINT: () => ({ sqlType: 'BIGINT', maxBytes: 8 }),
  DECIMAL: (p = 10) => ({ sqlType: 'DECIMAL', maxBytes: Math.ceil(p / 2) + 1 }),
  NUMERIC: (p = 10) => ({ sqlType: 'DECIMAL', maxBytes: Math.ceil(p / 2) + 1 }),
  FLOAT: () => ({ sqlType: 'FLOAT', maxBytes: 4 }),
  DOUBLE: () => ({ sqlType: 'DOUBLE', maxBytes: 8 }),
  BIT: (n = 1) => ({ sqlType: 'BIT', maxBytes: Math.ceil(n / 8) }),
  BOOLEAN: () => ({ sqlType: 'BOOLEAN', maxBytes: 1 }),
  DATE: () => ({ sqlType: 'DATE', maxBytes: 3 }),
  DATETIME: () => ({ sqlType: 'DATETIME', maxBytes: 8 }),
  TIMESTAMP: () => ({ sqlType: 'TIMESTAMP', maxBytes: 7 }),
  TIME: () => ({ sqlType: 'TIME', maxBytes: 6 }),
  YEAR: () => ({ sqlType: 'YEAR', maxBytes: 1 }),
  CHAR: (n = 1) => ({ sqlType: 'CHAR', maxBytes: n * 4, textual: true }),
  VARCHAR: (n = 0) => ({ sqlType: 'VARCHAR', maxBytes: n * 4 + 2, textual: true, indexable: n * 4 <= 3072 ? 'yes' : 'prefix' }),
  BINARY: (n = 1) => ({ sqlType: 'BINARY', maxBytes: n }),
  VARBINARY: (n = 0) => ({ sqlType: 'VARBINARY', maxBytes: n + 2, indexable: n <= 3072 ? 'yes' : 'prefix' }),
  TINYTEXT: () => ({ sqlType: 'TINYTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }),
  TEXT: () => ({ sqlType: 'TEXT', maxBytes: 12, textual: true, indexable: 'prefix' }),
  MEDIUMTEXT: () => ({ sqlType: 'MEDIUMTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }),
  LONGTEXT: () => ({ sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' }),
  TINYBLOB: () => ({ sqlType: 'TINYBLOB', maxBytes: 12, indexable: 'prefix' }),
  BLOB: () => ({ sqlType: 'BLOB', maxBytes: 12, indexable: 'prefix' }),
  MEDIUMBLOB: () => ({ sqlType: 'MEDIUMBLOB', maxBytes: 12, indexable: 'prefix' }),
  LONGBLOB: () => ({ sqlType: 'LONGBLOB', maxBytes: 12, indexable: 'prefix' }),
  JSON: () => ({ sqlType: 'JSON', maxBytes: 12, indexable: 'no' }),
};

const NEEDS_LENGTH = new Set(['VARCHAR', 'VARBINARY']);
const TAKES_TWO = new Set(['DECIMAL', 'NUMERIC', 'FLOAT', 'DOUBLE']);
const TAKES_ONE = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'BIT', 'DATETIME', 'TIMESTAMP', 'TIME', 'TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'INTEGER', 'BIGINT']);
const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'INTEGER', 'BIGINT', 'DECIMAL', 'NUMERIC', 'FLOAT', 'DOUBLE']);

/**
 * Reads a MySQL column type the user asked for: a known type name, its length or precision, UNSIGNED,
 * CHARACTER SET, COLLATE. Anything else (an expression, a second statement) is refused: the text goes
 * into DDL. Returns the column's shape, or why the text is not a type pgmy accepts.
 */
export function parseCastType(text: string): TypeChoice | string {
  const m = /^\s*([A-Za-z]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?((?:\s+UNSIGNED)?)((?:\s+CHARACTER\s+SET\s+[A-Za-z0-9_]+)?)((?:\s+COLLATE\s+[A-Za-z0-9_]+)?)\s*$/i.exec(text);
  if (!m?.[1]) return `"${text}" is not a MySQL column type pgmy accepts (a type name with an optional (length) or (precision,scale), UNSIGNED, CHARACTER SET, COLLATE)`;
  const name = m[1].toUpperCase();
  const shape = SIZES[name];
  if (!shape) return `"${name}" is not a MySQL column type pgmy knows (${Object.keys(SIZES).join(', ')})`;
  const [n, s] = [m[2], m[3]].map((v) => (v === undefined ? undefined : Number(v)));
  if (NEEDS_LENGTH.has(name) && n === undefined) return `${name} needs a length, e.g. ${name}(255)`;
  if (s !== undefined && !TAKES_TWO.has(name)) return `${name} takes no scale`;
  if (n !== undefined && !TAKES_ONE.has(name) && !TAKES_TWO.has(name)) return `${name} takes no length`;
  if (m[4]?.trim() && !INTEGERS.has(name)) return `${name} cannot be UNSIGNED`;
  if ((m[5]?.trim() || m[6]?.trim()) && !shape().textual) return `${name} has no character set or collation`;
  const sqlType = [
    `${shape().sqlType}${n !== undefined ? `(${n}${s !== undefined ? `,${s}` : ''})` : ''}`,
    m[4]?.trim().toUpperCase(), m[5]?.trim().replace(/\s+/g, ' '), m[6]?.trim().replace(/\s+/g, ' '),
  ].filter(Boolean).join(' ');
  return { ...shape(n, s), sqlType };
}

/**
 * A column the user cast: the MySQL type is theirs; the values are still written as pgmy's own choice writes
 * them, so LOAD DATA (strict) takes each one or fails the chunk naming its row, and verify compares them.
 */
export function castColumn(col: TargetColumn, shape: TypeChoice): TargetColumn {
  return {
    ...col, sqlType: shape.sqlType, textual: shape.textual ?? false, maxBytes: shape.maxBytes, indexable: shape.indexable ?? 'yes',
    rule: { ...col.rule, castFrom: col.rule.castFrom ?? col.sqlType },
  };
}

/** Finds the override for a table: `schema.table` first, then the bare `table`. */
export function lookup<T>(map: ReadonlyMap<string, T> | undefined, schema: string, ...rest: string[]): T | undefined {
  return map?.get([schema, ...rest].join('.')) ?? map?.get(rest.join('.'));
}

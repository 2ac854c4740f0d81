import { literalMy, quoteMy, tableMy } from './quote.js';
import type { ServerFlavor, TargetColumn, TargetForeignKey, TargetIndex, TargetSchema, TargetSequence, TargetTable } from '../../model/target.js';

/**
 * The collation that keeps PostgreSQL's meaning of equality for text: binary (so 'Alice' <> 'alice') and
 * NO PAD (so 'a' <> 'a '). Its name differs between the two servers.
 */
export function textCollation(flavor: ServerFlavor): string {
  return flavor === 'mysql' ? 'utf8mb4_0900_bin' : 'utf8mb4_nopad_bin';
}

export function createDatabaseSql(database: string, flavor: ServerFlavor): string {
  return `CREATE DATABASE IF NOT EXISTS ${quoteMy(database)} CHARACTER SET utf8mb4 COLLATE ${textCollation(flavor)}`;
}

function columnSql(c: TargetColumn, flavor: ServerFlavor): string {
  let s = `${quoteMy(c.name)} ${c.sqlType} ${c.nullable ? 'NULL' : 'NOT NULL'}`;
  if (c.autoIncrement) s += ' AUTO_INCREMENT';
  if (c.defaultSql !== undefined) s += ` DEFAULT ${c.defaultSql}`;
  else if (c.sequenceDefault !== undefined && flavor === 'mariadb') s += ` DEFAULT NEXT VALUE FOR ${tableMy(c.sequenceDefault)}`;
  if (c.comment !== undefined) s += ` COMMENT ${literalMy([...c.comment].slice(0, 1024).join(''))}`;
  return s;
}

function indexPartsSql(ix: TargetIndex): string {
  return ix.parts
    .map((p) => `${quoteMy(p.column)}${p.prefixChars ? `(${p.prefixChars})` : ''}${p.descending ? ' DESC' : ''}`)
    .join(', ');
}

export function createTableSql(t: TargetTable, flavor: ServerFlavor, ifNotExists = false, collation = textCollation(flavor)): string {
  const lines = t.columns.map((c) => columnSql(c, flavor));
  for (const h of t.hiddenColumns ?? []) lines.push(`${quoteMy(h.name)} ${h.sqlType} AS (${h.expr}) VIRTUAL INVISIBLE`);
  if (t.primaryKey) lines.push(`PRIMARY KEY (${t.primaryKey.map(quoteMy).join(', ')})`);
  for (const ix of t.tableIndexes) lines.push(`${ix.unique ? 'UNIQUE ' : ''}KEY ${quoteMy(ix.name)} (${indexPartsSql(ix)})`);
  for (const c of t.checks ?? []) lines.push(`CONSTRAINT ${quoteMy(c.name)} CHECK (${c.expr})`);
  const comment = t.comment !== undefined ? ` COMMENT=${literalMy([...t.comment].slice(0, 2048).join(''))}` : '';
  return `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${tableMy(t)} (\n  ${lines.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation}${comment}`;
}

/** MariaDB only (MySQL has no sequences); IF NOT EXISTS, so that a resumed load makes it once. */
export function createSequenceSql(s: TargetSequence): string {
  return `CREATE SEQUENCE IF NOT EXISTS ${tableMy(s)} START WITH ${s.start} MINVALUE ${s.min} MAXVALUE ${s.max} ` +
    `INCREMENT BY ${s.increment} CACHE ${s.cache} ${s.cycle ? 'CYCLE' : 'NOCYCLE'}`;
}

/** One ALTER for all of a table's indexes, so InnoDB reads the table once to build them. */
export function addIndexesSql(t: TargetTable, indexes: readonly TargetIndex[]): string {
  const adds = indexes.map((ix) => `ADD ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quoteMy(ix.name)} (${indexPartsSql(ix)})`);
  return `ALTER TABLE ${tableMy(t)} ${adds.join(', ')}`;
}

/**
 * A referenced table in the target URL's database is named with `defaultDatabase` when the referencing table
 * lives elsewhere: unqualified, MySQL would look for it in the referencing table's own database.
 */
export function addForeignKeysSql(t: TargetTable, fks: readonly TargetForeignKey[], defaultDatabase?: string): string {
  const adds = fks.map((fk) =>
    `ADD CONSTRAINT ${quoteMy(fk.name)} FOREIGN KEY (${fk.columns.map(quoteMy).join(', ')}) ` +
    `REFERENCES ${tableMy({ database: fk.refDatabase ?? (t.database !== undefined ? defaultDatabase : undefined), name: fk.refTable })} (${fk.refColumns.map(quoteMy).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`);
  return `ALTER TABLE ${tableMy(t)} ${adds.join(', ')}`;
}

/** MariaDB records RESTRICT as NO ACTION when the key is added with foreign_key_checks off: such keys go in with checks on. */
export const isRestrict = (fk: TargetForeignKey): boolean => fk.onDelete === 'RESTRICT' || fk.onUpdate === 'RESTRICT';

export function autoIncrementSql(t: TargetTable): string | undefined {
  return t.autoIncrement ? `ALTER TABLE ${tableMy(t)} AUTO_INCREMENT = ${t.autoIncrement.next}` : undefined;
}

const HEADER = (what: string, flavor: ServerFlavor) => `-- pgmy ${what}, written for ${flavor === 'mysql' ? 'MySQL 8.0+' : 'MariaDB 10.6+'}.
-- Run it in the target database with the default sql_mode escaping (NO_BACKSLASH_ESCAPES off).
-- pgmy load renders the same statements afresh for the server it finds (the collation name differs).
SET NAMES utf8mb4;
`;

/** schema.sql: the tables with their primary keys only, ready for the data. */
export function schemaScript(schema: TargetSchema, flavor: ServerFlavor): string {
  const extra = [...new Set(schema.tables.flatMap((t) => (t.database !== undefined ? [t.database] : [])))];
  return HEADER('schema (tables and primary keys)', flavor) +
    extra.map((db) => createDatabaseSql(db, flavor) + ';\n').join('') +
    (flavor === 'mariadb' ? (schema.sequences ?? []).map((q) => createSequenceSql(q) + ';\n').join('') : '') +
    schema.tables.map((t) => createTableSql(t, flavor, false, schema.textCollation ?? textCollation(flavor)) + ';\n').join('\n');
}

/** post-data.sql: what is built after the data: unique and secondary indexes, foreign keys, AUTO_INCREMENT. */
export function postDataScript(schema: TargetSchema, flavor: ServerFlavor, defaultDatabase?: string): string {
  const out: string[] = [HEADER('post-data (indexes, foreign keys, AUTO_INCREMENT)', flavor)];
  for (const t of schema.tables) if (t.indexes.length > 0) out.push(addIndexesSql(t, t.indexes) + ';');
  out.push('SET foreign_key_checks = 0;');
  for (const t of schema.tables) {
    const plain = t.foreignKeys.filter((fk) => !isRestrict(fk));
    if (plain.length > 0) out.push(addForeignKeysSql(t, plain, defaultDatabase) + ';');
  }
  out.push('SET foreign_key_checks = 1;');
  for (const t of schema.tables) {
    const restrict = t.foreignKeys.filter(isRestrict);
    if (restrict.length > 0) out.push(addForeignKeysSql(t, restrict, defaultDatabase) + ';');
  }
  for (const t of schema.tables) {
    const ai = autoIncrementSql(t);
    if (ai) out.push(ai + ';');
  }
  return out.join('\n') + '\n';
}

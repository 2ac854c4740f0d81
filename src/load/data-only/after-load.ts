import type { MyConnection } from '../../target/mysql/connect.js';
import { quoteMy } from '../../target/mysql/quote.js';
import { PgmyError } from '../../errors.js';
import type { TableMatch } from '../../mapping/data-only/match.js';

interface ForeignKeyColumns {
  readonly name: string;
  readonly table: string;
  readonly refTable: string;
  readonly columns: string[];
  readonly refColumns: string[];
}

/**
 * MySQL does not check existing rows when foreign_key_checks is turned back on, so every foreign key of
 * the loaded tables is checked here: a child row whose key has no parent is an orphan, reported by table,
 * constraint and key.
 */
export async function findOrphans(conn: MyConnection, database: string, tables: readonly string[]): Promise<string[]> {
  const [rows] = await conn.query(
    `SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS t, REFERENCED_TABLE_NAME AS rt, COLUMN_NAME AS c, REFERENCED_COLUMN_NAME AS rc
       FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_TABLE_SCHEMA = ?
      ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`, [database, database]);
  const fks = new Map<string, ForeignKeyColumns>();
  for (const r of rows as Array<{ name: string; t: string; rt: string; c: string; rc: string }>) {
    const key = `${r.t}.${r.name}`;
    const fk = fks.get(key) ?? { name: r.name, table: r.t, refTable: r.rt, columns: [], refColumns: [] };
    fk.columns.push(r.c);
    fk.refColumns.push(r.rc);
    fks.set(key, fk);
  }
  const problems: string[] = [];
  for (const fk of fks.values()) {
    if (!tables.includes(fk.table)) continue;
    const notNull = fk.columns.map((c) => `c.${quoteMy(c)} IS NOT NULL`).join(' AND ');
    const join = fk.columns.map((c, i) => `p.${quoteMy(fk.refColumns[i] as string)} = c.${quoteMy(c)}`).join(' AND ');
    const [r] = await conn.query(
      `SELECT COUNT(*) AS n, MIN(CONCAT_WS(', ', ${fk.columns.map((c) => `c.${quoteMy(c)}`).join(', ')})) AS example
         FROM ${quoteMy(fk.table)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${quoteMy(fk.refTable)} p WHERE ${join})`);
    const found = (r as Array<{ n: number; example: string | null }>)[0];
    if (Number(found?.n) > 0) {
      problems.push(`${fk.table}.${fk.name}: ${found?.n} row(s) whose (${fk.columns.join(', ')}) has no ${fk.refTable} (${fk.refColumns.join(', ')}), e.g. ${found?.example}`);
    }
  }
  return problems;
}

/** Sets each AUTO_INCREMENT past every id the source's sequence handed out (MySQL keeps it above max(id) too). */
export async function continueSequences(conn: MyConnection, matches: readonly TableMatch[]): Promise<void> {
  for (const m of matches) {
    const next = m.table.autoIncrement?.next;
    if (m.autoIncrementColumn === undefined || next === undefined) continue;
    await conn.query(`ALTER TABLE ${quoteMy(m.targetName)} AUTO_INCREMENT = ${BigInt(next).toString()}`);
  }
}

export function orphanError(problems: readonly string[]): PgmyError {
  return new PgmyError('load-mismatch', `Foreign keys do not hold after the load (MySQL does not check rows loaded with foreign_key_checks off):\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
    hint: 'The source had these rows too (were they excluded, or is a table missing from the dump?), or the target schema has a foreign key the source does not: fix the data, then run the load again.',
  });
}

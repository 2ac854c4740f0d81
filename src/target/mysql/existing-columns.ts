import type { MyConnection } from './connect.js';

/** A column of a table that already exists in the target (made by a framework's migrations). */
export interface ExistingColumn {
  readonly table: string;
  readonly name: string;
  readonly dataType: string;
  readonly columnType: string;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly autoIncrement: boolean;
  readonly maxChars: number | null;
}

/** Reads the target database's tables and columns from information_schema, in column order. */
export async function existingColumns(conn: MyConnection, database: string): Promise<Map<string, ExistingColumn[]>> {
  const [rows] = await conn.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS dt, COLUMN_TYPE AS ct, IS_NULLABLE AS n,
            COLUMN_DEFAULT AS d, EXTRA AS x, CHARACTER_MAXIMUM_LENGTH AS len
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`, [database]);
  const out = new Map<string, ExistingColumn[]>();
  for (const r of rows as Array<{ t: string; c: string; dt: string; ct: string; n: string; d: string | null; x: string; len: string | null }>) {
    const list = out.get(r.t) ?? [];
    list.push({
      table: r.t, name: r.c, dataType: r.dt.toLowerCase(), columnType: r.ct.toLowerCase(), nullable: r.n === 'YES',
      hasDefault: r.d !== null || r.n === 'YES', autoIncrement: /auto_increment/i.test(r.x),
      maxChars: r.len === null ? null : Number(r.len),
    });
    out.set(r.t, list);
  }
  return out;
}

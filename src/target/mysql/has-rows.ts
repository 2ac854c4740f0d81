import type { MyConnection } from './connect.js';

/** Whether a table holds any row (`table` as tableMy or quoteMy render it). */
export async function hasRows(conn: MyConnection, table: string): Promise<boolean> {
  const [r] = await conn.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS has_rows`);
  return Number((r as Array<{ has_rows: number }>)[0]?.has_rows) === 1;
}

/** Whether `database` has a table of that name. */
export async function tableExists(conn: MyConnection, database: string, name: string): Promise<boolean> {
  const [r] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [database, name]);
  return Number((r as Array<{ n: number }>)[0]?.n) > 0;
}

import type { MyConnection } from '../target/mysql/connect.js';
import type { PgClient } from '../source/postgres/connect.js';
import { loadDataStatement, loadField } from '../target/mysql/load-data.js';
import { copyOut } from '../source/postgres/copy-out.js';
import { quotePg } from '../source/postgres/quote.js';
import { copyOutSql } from '../source/postgres/sql.js';
import { CopyToLoadData } from '../tsv/copy-escape.js';
import type { Notice, TargetIndex, TargetSchema, TargetTable } from '../model/target.js';

const KEYS_TABLE = 'pgmy_plan_keys';

/**
 * Finds the unique keys whose values PostgreSQL holds apart but the chosen MySQL collation would make equal.
 * MySQL itself is the judge: each key's values stream from COPY into a temporary table with that collation
 * (LOAD DATA LOCAL from the stream, no file), and MySQL groups them.
 */
export async function findCollisions(pg: PgClient, my: MyConnection, schema: TargetSchema, collation: string, partitioned: (t: TargetTable) => boolean): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (const t of schema.tables) {
    const keys: TargetIndex[] = [
      ...(t.primaryKey ? [{ name: 'PRIMARY', unique: true, source: 'primary key', parts: t.primaryKey.map((column) => ({ column, descending: false })) }] : []),
      ...t.indexes.filter((i) => i.unique),
    ];
    for (const key of keys) {
      const cols = key.parts.map((p) => t.columns.find((c) => c.name === p.column));
      if (cols.some((c) => c === undefined) || !cols.some((c) => c?.textual)) continue;
      const present = cols as NonNullable<(typeof cols)[number]>[];
      const defs = present.map((c, i) => `c${i} ${c.sqlType} NULL`).join(', ');
      await my.query(`DROP TEMPORARY TABLE IF EXISTS ${KEYS_TABLE}`);
      await my.query(`CREATE TEMPORARY TABLE ${KEYS_TABLE} (${defs}) DEFAULT CHARSET=utf8mb4 COLLATE=${collation}`);
      const sql = copyOutSql({
        select: present.map((c) => c.selectExpr), from: { schema: t.sourceSchema, name: t.sourceName, partitioned: partitioned(t) },
        where: present.map((c) => `${quotePg(c.name)} IS NOT NULL`).join(' AND '),
      });
      const fields = present.map((c, i) => loadField({ load: c.load, autoIncrement: false }, `c${i}`));
      await my.query({
        sql: loadDataStatement('pgmy-plan-keys', KEYS_TABLE, fields),
        infileStreamFactory: (name: string) => {
          if (name !== 'pgmy-plan-keys') throw new Error(`refused to send ${name}`);
          return copyOut(pg, sql, new CopyToLoadData());
        },
      });
      const group = present.map((_, i) => `c${i}`).join(', ');
      const [rows] = await my.query(
        `SELECT COUNT(*) AS n, GROUP_CONCAT(CONCAT_WS(' / ', ${group}) ORDER BY ${group} SEPARATOR ' | ') AS vals
           FROM ${KEYS_TABLE} GROUP BY ${group} HAVING COUNT(*) > 1 LIMIT 5`);
      const found = rows as Array<{ n: number; vals: string }>;
      if (found.length > 0) {
        notices.push({
          level: 'error', table: `${t.sourceSchema}.${t.sourceName}`, object: key.name,
          message: `${key.source} (${key.parts.map((p) => p.column).join(', ')}) would collide under ${collation}: ` +
            found.map((f) => `${f.vals}`).join('; ') + (found.length === 5 ? '; …' : '') + ' (keep the default collation, or fix these rows)',
        });
      }
      await my.query(`DROP TEMPORARY TABLE ${KEYS_TABLE}`);
    }
  }
  return notices;
}


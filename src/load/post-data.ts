import { myQueryError, type MyConnection } from '../target/mysql/connect.js';
import { addForeignKeysSql, addIndexesSql, autoIncrementSql, isRestrict } from '../target/mysql/ddl.js';
import type { TargetTable } from '../model/target.js';
import { journalAdd, journalItems, type JournalKind } from '../target/mysql/journal.js';

export interface PostDataStep {
  readonly kind: Extract<JournalKind, 'indexes' | 'foreign-keys' | 'auto-increment'>;
  readonly table: TargetTable;
}

/** Every post-data step, in the order they must run: indexes (foreign keys need them), foreign keys, counters. */
export function postDataSteps(tables: readonly TargetTable[]): PostDataStep[] {
  return [
    ...tables.filter((t) => t.indexes.length > 0).map((table) => ({ kind: 'indexes' as const, table })),
    ...tables.filter((t) => t.foreignKeys.length > 0).map((table) => ({ kind: 'foreign-keys' as const, table })),
    ...tables.filter((t) => t.autoIncrement).map((table) => ({ kind: 'auto-increment' as const, table })),
  ];
}

export async function pendingSteps(conn: MyConnection, dumpId: string, steps: readonly PostDataStep[]): Promise<PostDataStep[]> {
  const done = new Map<string, Set<string>>();
  for (const kind of ['indexes', 'foreign-keys', 'auto-increment'] as const) done.set(kind, await journalItems(conn, dumpId, kind));
  return steps.filter((s) => !done.get(s.kind)?.has(stepItem(s)));
}

/**
 * Runs one step, skipping what already exists (a crash may fall between an ALTER and its journal row), then
 * journals it. All of a table's indexes go in one ALTER so that InnoDB reads the table once.
 */
export async function runPostDataStep(conn: MyConnection, database: string, dumpId: string, step: PostDataStep): Promise<void> {
  const t = step.table;
  try {
    if (step.kind === 'indexes') {
      const have = await names(conn, 'SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', t.database ?? database, t.name);
      const missing = t.indexes.filter((ix) => !have.has(ix.name));
      if (missing.length > 0) await conn.query(addIndexesSql(t, missing));
    } else if (step.kind === 'foreign-keys') {
      const have = await names(conn, "SELECT CONSTRAINT_NAME AS n FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY'", t.database ?? database, t.name);
      const missing = t.foreignKeys.filter((fk) => !have.has(fk.name));
      const restrict = missing.filter(isRestrict);
      const rest = missing.filter((fk) => !isRestrict(fk));
      if (rest.length > 0) await conn.query(addForeignKeysSql(t, rest, database));
      if (restrict.length > 0) {
        // MariaDB records RESTRICT as NO ACTION when the key is added with foreign_key_checks off (the same
        // behaviour in InnoDB, but not what SHOW CREATE TABLE should say): these go in with checks on, which
        // also checks the loaded rows against the key.
        await conn.query('SET SESSION foreign_key_checks = 1');
        try {
          await conn.query(addForeignKeysSql(t, restrict, database));
        } finally {
          await conn.query('SET SESSION foreign_key_checks = 0');
        }
      }
    } else {
      const sql = autoIncrementSql(t);
      if (sql) await conn.query(sql);
    }
  } catch (err) {
    throw myQueryError(err, `adding ${step.kind} to ${t.name}`, { table: t.name });
  }
  await journalAdd(conn, dumpId, step.kind, stepItem(step));
}

/** A step's journal item: the table, qualified when it lives in a database of its own. */
function stepItem(s: PostDataStep): string {
  return s.table.database !== undefined ? `${s.table.database}.${s.table.name}` : s.table.name;
}

async function names(conn: MyConnection, sql: string, database: string, table: string): Promise<Set<string>> {
  const [rows] = await conn.query(sql, [database, table]);
  return new Set((rows as Array<{ n: string }>).map((r) => r.n));
}

import { myQueryError, type MyConnection } from '../target/mysql/connect.js';
import { tableMy } from '../target/mysql/quote.js';
import { PgmyError } from '../errors.js';
import { createTableSql } from '../target/mysql/ddl.js';
import type { ServerFlavor, TargetSequence, TargetTable } from '../model/target.js';
import { createSequences } from './create-sequences.js';
import { journalAdd, journalAddAll, journalItems } from '../target/mysql/journal.js';
import { hasRows } from '../target/mysql/has-rows.js';
import { rehearseSchema } from '../target/mysql/rehearse.js';

export interface CreateTablesOptions {
  readonly dumpId: string;
  readonly flavor: ServerFlavor;
  readonly database: string;
  /** Tables pgmy did not create (empty or not) are dropped and made again rather than refused. */
  readonly truncate: boolean;
  readonly collation?: string;
  /** MariaDB SEQUENCEs, made before the tables whose defaults name them. */
  readonly sequences?: readonly TargetSequence[];
}

/**
 * Creates each table unless this dump's journal says it already did. A table pgmy did not create is refused,
 * empty or not (an application's own migrations make empty tables of the same names; replacing them would
 * lose the application's definitions), unless --truncate says to replace it; every such refusal comes before
 * anything is made. The journal records the intent before the CREATEs, so a table made just before a crash
 * is known to be pgmy's and is made again.
 */
export async function createTables(conn: MyConnection, tables: readonly TargetTable[], o: CreateTablesOptions): Promise<number> {
  const created = await journalItems(conn, o.dumpId, 'table');
  const intended = await journalItems(conn, o.dumpId, 'table-intent');
  if (created.size === 0) await rehearse(conn, tables, o);
  await createSequences(conn, o.sequences ?? [], o);
  const databases = [...new Set([o.database, ...tables.map((t) => t.database ?? o.database)])];
  const [existingRows] = await conn.query('SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)', [databases]);
  const existing = new Set((existingRows as Array<{ db: string; name: string }>).map((r) => `${r.db}.${r.name}`));
  const whereOf = (t: TargetTable): string => `${t.database ?? o.database}.${t.name}`;
  const toMake = tables.filter((t) => !created.has(whereOf(t)));
  // Every refusal first: a table pgmy did not create stops the load before anything is made or dropped.
  for (const t of toMake) {
    const where = whereOf(t);
    if (existing.has(where) && !intended.has(where) && !o.truncate) throw notPgmys(where, t.name, await hasRows(conn, tableMy(t)));
  }
  // The journal rows in one statement each, before and after the CREATEs: each autocommitted row waited for
  // its redo log flush (two per table: 200 tables, 400 statements, 0.21 s of the server's time). A table --truncate
  // replaces keeps its own order (dropped, then its intent), so that no intent ever names a table not pgmy's.
  const replaced = new Set(toMake.filter((t) => existing.has(whereOf(t)) && !intended.has(whereOf(t))).map(whereOf));
  await journalAddAll(conn, o.dumpId, 'table-intent', toMake.map(whereOf).filter((w) => !replaced.has(w)).map((w) => [w] as const));
  const made: string[] = [];
  try {
    for (const t of toMake) {
      const where = whereOf(t);
      if (existing.has(where)) await run(conn, `DROP TABLE ${tableMy(t)}`, t.name);
      if (replaced.has(where)) await journalAdd(conn, o.dumpId, 'table-intent', where);
      await run(conn, createTableSql(t, o.flavor, false, o.collation), t.name);
      made.push(where);
    }
  } catch (err) {
    // The tables made so far are recorded; unrecorded, their intent alone would have them made again.
    await journalAddAll(conn, o.dumpId, 'table', made.map((w) => [w] as const)).catch(() => undefined);
    throw err;
  }
  await journalAddAll(conn, o.dumpId, 'table', made.map((w) => [w] as const));
  return made.length;
}

/** A target table pgmy did not create: refused, empty or not, unless --truncate (load and load --dry-run). */
export function notPgmys(where: string, table: string, rows: boolean): PgmyError {
  return new PgmyError('target-not-empty', `Table ${where} already exists in the target (${rows ? 'with rows' : 'empty'}) and pgmy did not create it.`, {
    table, hint: 'Load into a new database; or --data-only to load into the tables your application made; or drop the table, or pass --truncate to replace it with pgmy\'s.',
  });
}

async function run(conn: MyConnection, sql: string, table: string): Promise<void> {
  try {
    await conn.query(sql);
  } catch (err) {
    throw myQueryError(err, `creating table ${table}`, { table });
  }
}

/**
 * Before the first table of a load is made, the whole schema is built empty in scratch databases: a
 * statement the server refuses stops the load there, naming it, with nothing created in the target.
 */
async function rehearse(conn: MyConnection, tables: readonly TargetTable[], o: CreateTablesOptions): Promise<void> {
  const r = await rehearseSchema(conn, { tables, notices: [], ...(o.sequences ? { sequences: o.sequences } : {}), ...(o.collation !== undefined ? { textCollation: o.collation } : {}) }, o.flavor);
  if (!r.ran) return;
  const list = r.refused;
  const [first] = list;
  if (first === undefined) return;
  throw new PgmyError('unsupported', `The target refuses ${list.length === 1 ? 'a statement' : `${list.length} statements`} of this schema, so nothing was created:\n` +
    list.map((x) => `  - ${x.table}: ${x.step}: ${x.message}`).join('\n'), {
    table: first.table,
    hint: 'pgmy tried the schema empty in a scratch database first. `pgmy plan --target` lists the same; exclude the table (--exclude-tables) or --cast the column, and dump again.',
  });
}

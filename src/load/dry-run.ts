import type { MyConnection } from '../target/mysql/connect.js';
import { tableMy } from '../target/mysql/quote.js';
import type { Manifest } from '../model/dump-format/manifest.js';
import { PgmyError } from '../errors.js';
import { readJournal } from '../target/mysql/journal.js';
import { matchTables } from '../mapping/data-only/match.js';
import { existingColumns } from '../target/mysql/existing-columns.js';
import { hasRows } from '../target/mysql/has-rows.js';
import { notPgmys } from './create-tables.js';

export interface DryRun {
  readonly database: string;
  readonly databaseExists: boolean;
  readonly chunksToLoad: number;
  readonly bytesToLoad: number;
  readonly chunksAlreadyLoaded: number;
  readonly tablesToCreate: readonly string[];
  readonly tablesToEmpty: readonly string[];
}

/**
 * What a load would do, found with reads only: the same refusals as the real load (another dump's rows,
 * tables holding rows pgmy did not load, a dump that does not fit an existing schema), and what it would
 * create, empty and load. Nothing is created, not even the database or the journal.
 */
export async function dryRun(conn: MyConnection, database: string, m: Manifest, o: { dataOnly: boolean; truncate: boolean; restart: boolean; ignoreCase: boolean; allowMissingColumns: boolean }): Promise<DryRun> {
  const [dbs] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
  const databaseExists = Number((dbs as Array<{ n: number }>)[0]?.n) > 0;
  const journal = await readJournal(conn, database);
  const others = [...new Set(journal.map((j) => j.dump_id).filter((id) => id !== m.dumpId))];
  if (others.length > 0 && !o.restart) {
    throw new PgmyError('target-not-empty', `Database ${database} holds a load of another dump (${others.join(', ')}); this dump is ${m.dumpId}.`, {
      hint: 'Load into another database, or pass --restart to drop the tables of this dump and start over.',
    });
  }
  const mine = journal.filter((j) => j.dump_id === m.dumpId);
  const loaded = new Set(mine.filter((j) => j.kind === 'chunk').map((j) => j.item));
  const existing = databaseExists ? await existingColumns(conn, database) : new Map();
  if (o.dataOnly) {
    const { problems } = matchTables(m.target.tables, existing, { ignoreCase: o.ignoreCase, allowMissingColumns: o.allowMissingColumns });
    if (problems.length > 0) throw new PgmyError('unsupported', `The dump does not fit the existing schema of ${database}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const tablesToCreate: string[] = [];
  const tablesToEmpty: string[] = [];
  for (const t of m.target.tables.filter((x) => x.database === undefined)) {
    const created = mine.some((j) => (j.kind === 'table' || j.kind === 'truncate') && (j.item === t.name || j.item === `${database}.${t.name}`));
    if (created) continue;
    if (!existing.has(t.name)) {
      if (!o.dataOnly) tablesToCreate.push(t.name);
      continue;
    }
    const intended = mine.some((j) => j.kind === 'table-intent' && (j.item === t.name || j.item === `${database}.${t.name}`));
    const rows = await hasRows(conn, tableMy({ database, name: t.name }));
    if (o.dataOnly ? !rows : intended) {
      if (!o.dataOnly) tablesToCreate.push(t.name);
      continue;
    }
    if (!o.truncate && !o.dataOnly) throw notPgmys(`${database}.${t.name}`, t.name, rows);
    if (!o.truncate) {
      throw new PgmyError('target-not-empty', `Table ${database}.${t.name} already holds rows that pgmy did not load.`, {
        table: t.name, hint: 'Pass --truncate to empty the target tables first.',
      });
    }
    if (o.dataOnly || rows) tablesToEmpty.push(t.name);
    else tablesToCreate.push(t.name);
  }
  const todo = m.data.flatMap((d) => d.chunks).filter((c) => !loaded.has(c.file));
  return {
    database, databaseExists, chunksToLoad: todo.length, bytesToLoad: todo.reduce((n, c) => n + c.bytes, 0),
    chunksAlreadyLoaded: loaded.size, tablesToCreate, tablesToEmpty,
  };
}

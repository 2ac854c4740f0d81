import type { MyConnection } from '../../target/mysql/connect.js';
import { myQueryError } from '../../target/mysql/connect.js';
import { quoteMy } from '../../target/mysql/quote.js';
import { PgmyError } from '../../errors.js';
import { sourceKey, type TargetTable } from '../../model/target.js';
import { tableDirName } from '../../model/dump-format/file-names.js';
import { journalAdd, journalItems } from '../../target/mysql/journal.js';
import { matchTables, type TableMatch } from '../../mapping/data-only/match.js';
import { existingColumns } from '../../target/mysql/existing-columns.js';
import { hasRows } from '../../target/mysql/has-rows.js';

export interface DataOnlyOptions {
  readonly ignoreCase?: boolean;
  readonly allowMissingColumns?: boolean;
  readonly truncate?: boolean;
  readonly method?: 'infile' | 'insert';
}

/**
 * Before a --data-only load: every dumped table and column must find its place in the existing schema
 * with a known conversion (else nothing moves), and target tables must be empty, or emptied with
 * --truncate. Emptying is journaled, so a re-run after a crash does not empty what it already loaded.
 */
export async function prepareDataOnly(conn: MyConnection, database: string, dumpId: string, tables: readonly TargetTable[], o: DataOnlyOptions): Promise<Map<string, TableMatch>> {
  if (o.method === 'insert') {
    throw new PgmyError('usage', '--data-only loads with LOAD DATA LOCAL INFILE only (for now); --method insert cannot be combined with it.');
  }
  const existing = await existingColumns(conn, database);
  const { matches, problems } = matchTables(tables, existing, { ignoreCase: o.ignoreCase ?? false, allowMissingColumns: o.allowMissingColumns ?? false });
  if (problems.length > 0) {
    throw new PgmyError('unsupported', `The dump does not fit the existing schema of ${database}, so nothing was loaded:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      hint: 'Run the framework\'s migrations first; --ignore-case matches names without regard to case; --allow-missing-columns skips columns that exist on one side only (target defaults then apply).',
    });
  }
  const truncated = await journalItems(conn, dumpId, 'truncate');
  const loaded = await journalItems(conn, dumpId, 'chunk');
  for (const m of matches) {
    if (truncated.has(m.targetName)) continue;
    const filled = await hasRows(conn, quoteMy(m.targetName));
    const dir = `data/${tableDirName(m.table.sourceSchema, m.table.sourceName)}/`;
    const ours = [...loaded].some((f) => f.startsWith(dir));
    if (!filled || ours) continue;
    if (!o.truncate) {
      throw new PgmyError('target-not-empty', `Table ${database}.${m.targetName} already holds rows that pgmy did not load (a framework may have filled it, e.g. Django's content types and permissions).`, {
        table: m.targetName, hint: 'Pass --truncate to empty the target tables first; their ids then come from the source, so foreign keys stay right.',
      });
    }
    await conn.query(`TRUNCATE TABLE ${quoteMy(m.targetName)}`).catch((err: unknown) => { throw myQueryError(err, `emptying ${m.targetName}`, { table: m.targetName }); });
    await journalAdd(conn, dumpId, 'truncate', m.targetName);
  }
  return new Map(matches.map((m) => [sourceKey(m.table), m]));
}

import { myQueryError, type MyConnection } from '../target/mysql/connect.js';
import { PgmyError } from '../errors.js';
import { createSequenceSql } from '../target/mysql/ddl.js';
import type { ServerFlavor, TargetSequence } from '../model/target.js';
import { journalAdd, journalItems } from '../target/mysql/journal.js';

/**
 * MariaDB only (MySQL has no sequences): makes each sequence before the tables whose defaults name it. The
 * journal row goes first and CREATE has IF NOT EXISTS, so a crash between the two is repaired by the next run;
 * a sequence of the same name that this dump's journal does not list is someone else's and is refused.
 */
export async function createSequences(
  conn: MyConnection, sequences: readonly TargetSequence[], o: { readonly dumpId: string; readonly flavor: ServerFlavor; readonly database: string },
): Promise<number> {
  if (o.flavor !== 'mariadb' || sequences.length === 0) return 0;
  const ours = await journalItems(conn, o.dumpId, 'sequence');
  const databases = [...new Set(sequences.map((s) => s.database ?? o.database))];
  const [found] = await conn.query("SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_TYPE = 'SEQUENCE' AND TABLE_SCHEMA IN (?)", [databases]);
  const existing = new Set((found as Array<{ db: string; name: string }>).map((r) => `${r.db}.${r.name}`));
  let made = 0;
  for (const s of sequences) {
    const where = `${s.database ?? o.database}.${s.name}`;
    if (!ours.has(where)) {
      if (existing.has(where)) {
        throw new PgmyError('target-not-empty', `Sequence ${where} already exists in the target and pgmy did not create it.`, {
          table: s.name, hint: `Load into a new database, or drop the sequence (DROP SEQUENCE ${where}) if it is not needed.`,
        });
      }
      await journalAdd(conn, o.dumpId, 'sequence', where);
    }
    try {
      await conn.query(createSequenceSql(s));
    } catch (err) {
      throw myQueryError(err, `creating sequence ${s.name}`, { table: s.name });
    }
    made++;
  }
  return made;
}

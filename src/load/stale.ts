import { myQueryError, type MyConnection } from '../target/mysql/connect.js';
import { tableDirName } from '../model/dump-format/file-names.js';
import type { TableData } from '../model/dump-format/manifest.js';
import { journalChunks, journalForgetChunks } from '../target/mysql/journal.js';

/**
 * Chunks the journal says were loaded but that the manifest does not list with the same sha256: the table
 * (or one of its key-range parts) was dumped again after part of it had been loaded — a migrate killed in
 * the middle of a table and run again, or a dump finished by a second run that rewrote the table. Rows
 * from the old chunks cannot be matched to the new ones, so the table is emptied and all its chunks
 * forgotten; the load then loads it whole. Chunks listed with the same sha256 hold the same bytes, so the
 * rows they brought are exactly the rows the manifest's chunks hold, and they are kept.
 *
 * Returns the tables emptied and the chunks that stay loaded (the journal's, less the emptied tables').
 *
 * `emptySql` empties a table: TRUNCATE for pgmy's own tables (then the journal rows go; a crash in between
 * leaves the stale rows journaled, so the next run does it again), DELETE for a framework's (in one
 * transaction with the journal rows).
 */
export async function resetStaleTables(
  conn: MyConnection, dumpId: string, data: readonly TableData[],
  table: (d: TableData) => { readonly name: string; readonly emptySql: string; readonly transactional: boolean },
): Promise<{ reset: string[]; loaded: Set<string> }> {
  const journaled = await journalChunks(conn, dumpId);
  const loaded = new Set(journaled.keys());
  const reset: string[] = [];
  for (const d of data) {
    const folder = `data/${tableDirName(d.schema, d.name)}/`;
    const listed = new Map(d.chunks.map((c) => [c.file, c.sha256]));
    const stale = [...journaled].some(([file, sha]) => file.startsWith(folder) && listed.get(file) !== sha);
    if (!stale) continue;
    const t = table(d);
    try {
      if (t.transactional) await conn.query('START TRANSACTION');
      await conn.query(t.emptySql);
      await journalForgetChunks(conn, dumpId, folder);
      if (t.transactional) await conn.query('COMMIT');
    } catch (err) {
      if (t.transactional) await conn.query('ROLLBACK').catch(() => undefined);
      throw myQueryError(err, `emptying ${t.name}, whose chunks were dumped again after part of it was loaded`, { table: t.name });
    }
    reset.push(t.name);
    for (const file of journaled.keys()) if (file.startsWith(folder)) loaded.delete(file);
  }
  return { reset, loaded };
}

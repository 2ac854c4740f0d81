import { PgmyError } from '../errors.js';
import type { MyConnection } from '../target/mysql/connect.js';
import { JOURNAL_TABLE, readJournal } from '../target/mysql/journal.js';
import { quoteMy } from '../target/mysql/quote.js';

/**
 * verify --drop-journal, once every table matched: drops `_pgmy_journal` when it records exactly one load,
 * finished. Anything else keeps it and says why (a load not finished needs it to resume; a journal of
 * several dumps means tables of another load are there). Without the journal a later load no longer knows
 * the tables as its own: it refuses them unless --truncate.
 */
export async function dropJournal(my: MyConnection, database: string): Promise<void> {
  const journal = await readJournal(my, database);
  if (journal.length === 0) throw new PgmyError('journal-kept', `There is no ${JOURNAL_TABLE} in ${database} to drop.`, { hint: 'Nothing to do: the database holds no pgmy load journal.' });
  const dumps = [...new Set(journal.map((j) => j.dump_id))];
  const finished = journal.some((j) => j.kind === 'done' && j.item === 'load');
  if (dumps.length !== 1 || !finished) {
    throw new PgmyError('journal-kept', `Every table matched, but ${JOURNAL_TABLE} was kept: ${dumps.length !== 1 ? `it records loads of ${dumps.length} dumps` : 'the load it records is not finished (or loaded only some tables)'}.`, {
      hint: 'Finish the load (run the same pgmy load or migrate again), then verify --drop-journal again.',
    });
  }
  await my.query(`DROP TABLE ${quoteMy(database)}.${quoteMy(JOURNAL_TABLE)}`);
}

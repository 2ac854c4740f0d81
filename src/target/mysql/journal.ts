import type { MyConnection } from './connect.js';
import { quoteMy } from './quote.js';
import { ER, errnoOf } from './error-codes.js';

/**
 * The load journal: one table in the target database. A chunk's row is written in the same transaction as
 * its LOAD DATA, so a chunk is either loaded and journaled or neither; DDL steps are journaled after they
 * succeed and are written so that doing them twice is harmless.
 */
export const JOURNAL_TABLE = '_pgmy_journal';

/**
 * `mode`: how the dump was loaded (`data-only` into a framework's tables), so that verify compares it the same
 * way; `form`: per source table, the digest of how verify compares it as loaded (mapping/compare-form.ts).
 */
export type JournalKind = 'table' | 'table-intent' | 'sequence' | 'truncate' | 'chunk' | 'indexes' | 'foreign-keys' | 'auto-increment' | 'done' | 'mode' | 'form';

export async function ensureJournal(conn: MyConnection): Promise<void> {
  await conn.query(`CREATE TABLE IF NOT EXISTS ${quoteMy(JOURNAL_TABLE)} (
    dump_id CHAR(36) CHARACTER SET ascii NOT NULL,
    kind VARCHAR(16) CHARACTER SET ascii NOT NULL,
    item VARCHAR(700) NOT NULL,
    \`rows\` BIGINT NULL,
    sha256 CHAR(64) CHARACTER SET ascii NULL,
    done_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (dump_id, kind, item)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
}

export async function journalDumpIds(conn: MyConnection): Promise<string[]> {
  const [rows] = await conn.query(`SELECT DISTINCT dump_id FROM ${quoteMy(JOURNAL_TABLE)}`);
  return (rows as Array<{ dump_id: string }>).map((r) => r.dump_id);
}

export async function journalItems(conn: MyConnection, dumpId: string, kind: JournalKind): Promise<Set<string>> {
  const [rows] = await conn.query(`SELECT item FROM ${quoteMy(JOURNAL_TABLE)} WHERE dump_id = ? AND kind = ?`, [dumpId, kind]);
  return new Set((rows as Array<{ item: string }>).map((r) => r.item));
}

export async function journalAdd(
  conn: MyConnection, dumpId: string, kind: JournalKind, item: string, rows?: number, sha256?: string,
): Promise<void> {
  await conn.query(
    `INSERT INTO ${quoteMy(JOURNAL_TABLE)} (dump_id, kind, item, \`rows\`, sha256) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE done_at = CURRENT_TIMESTAMP(6)`,
    [dumpId, kind, item, rows ?? null, sha256 ?? null],
  );
}

/** journalAdd for many items of one kind (each with its sha256, when it has one), 500 to a statement. */
export async function journalAddAll(
  conn: MyConnection, dumpId: string, kind: JournalKind, items: ReadonlyArray<readonly [item: string, sha256?: string]>,
): Promise<void> {
  for (let i = 0; i < items.length; i += 500) {
    const batch = items.slice(i, i + 500);
    await conn.query(
      `INSERT INTO ${quoteMy(JOURNAL_TABLE)} (dump_id, kind, item, sha256) VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE done_at = CURRENT_TIMESTAMP(6)`,
      batch.flatMap(([item, sha]) => [dumpId, kind, item, sha ?? null]),
    );
  }
}

/** Replaces the dump's rows of one kind with these. */
export async function journalReplaceAll(conn: MyConnection, dumpId: string, kind: JournalKind, items: ReadonlyArray<readonly [item: string, sha256: string]>): Promise<void> {
  await conn.query(`DELETE FROM ${quoteMy(JOURNAL_TABLE)} WHERE dump_id = ? AND kind = ?`, [dumpId, kind]);
  await journalAddAll(conn, dumpId, kind, items);
}

/**
 * A chunk's journal row, written first in the transaction that loads it: false when the chunk is journaled
 * already (another loader, or a commit whose answer was lost, loaded it). A second loader of the same
 * chunk waits on this row until the first commits (then false) or rolls back: a chunk never loads twice.
 */
export async function journalChunk(conn: MyConnection, dumpId: string, chunk: { file: string; rows: number; sha256: string }): Promise<boolean> {
  try {
    await conn.query(`INSERT INTO ${quoteMy(JOURNAL_TABLE)} (dump_id, kind, item, \`rows\`, sha256) VALUES (?, 'chunk', ?, ?, ?)`, [dumpId, chunk.file, chunk.rows, chunk.sha256]);
    return true;
  } catch (err) {
    if (errnoOf(err) === ER.DUP_ENTRY) return false;
    throw err;
  }
}

export async function journalClear(conn: MyConnection): Promise<void> {
  await conn.query(`DELETE FROM ${quoteMy(JOURNAL_TABLE)}`);
}

/** The chunks this dump's load has journaled, with the sha256 each was loaded with. */
export async function journalChunks(conn: MyConnection, dumpId: string): Promise<Map<string, string | null>> {
  const [rows] = await conn.query(`SELECT item, sha256 FROM ${quoteMy(JOURNAL_TABLE)} WHERE dump_id = ? AND kind = 'chunk'`, [dumpId]);
  return new Map((rows as Array<{ item: string; sha256: string | null }>).map((r) => [r.item, r.sha256]));
}

/** Forgets every loaded chunk under a table's folder (`data/<schema>.<table>/`), in one statement. */
export async function journalForgetChunks(conn: MyConnection, dumpId: string, folder: string): Promise<void> {
  await conn.query(`DELETE FROM ${quoteMy(JOURNAL_TABLE)} WHERE dump_id = ? AND kind = 'chunk' AND item LIKE ?`, [dumpId, `${folder.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
}

/** Every row of the journal in `database`, or none when it has no journal (read-only: inspect, load --dry-run). */
export async function readJournal(conn: MyConnection, database: string): Promise<Array<{ dump_id: string; kind: string; item: string }>> {
  if (!(await hasJournal(conn, database))) return [];
  const [rows] = await conn.query(`SELECT dump_id, kind, item FROM ${quoteMy(database)}.${quoteMy(JOURNAL_TABLE)}`);
  return rows as Array<{ dump_id: string; kind: string; item: string }>;
}

/** The --conventions a load into `database` was made with (the given dump's, or any), when any. */
export async function loadedConventions(conn: MyConnection, database: string, dumpId?: string): Promise<'django' | 'rails' | undefined> {
  const journal = await readJournal(conn, database);
  const found = journal.find((j) => j.kind === 'mode' && j.item.startsWith('conventions=') && (dumpId === undefined || j.dump_id === dumpId));
  const name = found?.item.slice('conventions='.length);
  return name === 'django' || name === 'rails' ? name : undefined;
}

/** By source table (`schema.table`): the compared forms loads into `database` recorded (one per dump that loaded it). */
export async function loadedForms(conn: MyConnection, database: string): Promise<Map<string, Set<string>>> {
  const forms = new Map<string, Set<string>>();
  if (!(await hasJournal(conn, database))) return forms;
  const [rows] = await conn.query(`SELECT item, sha256 FROM ${quoteMy(database)}.${quoteMy(JOURNAL_TABLE)} WHERE kind = 'form'`);
  for (const r of rows as Array<{ item: string; sha256: string | null }>) {
    if (r.sha256 !== null) forms.set(r.item, (forms.get(r.item) ?? new Set<string>()).add(r.sha256));
  }
  return forms;
}

/** Whether a load into `database` was made with --data-only (any dump's, or the given one's). */
export async function loadedDataOnly(conn: MyConnection, database: string, dumpId?: string): Promise<boolean> {
  const journal = await readJournal(conn, database);
  return journal.some((j) => j.kind === 'mode' && j.item === 'data-only' && (dumpId === undefined || j.dump_id === dumpId));
}

async function hasJournal(conn: MyConnection, database: string): Promise<boolean> {
  const [t] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [database, JOURNAL_TABLE]);
  return Number((t as Array<{ n: number }>)[0]?.n) > 0;
}

import { openStore } from '../files/stores.js';
import { pipeline } from 'node:stream';
import type { ResultSetHeader } from 'mysql2';
import type { MyConnection } from '../target/mysql/connect.js';
import { quoteMy, tableMy } from '../target/mysql/quote.js';
import { PgmyError } from '../errors.js';
import type { TargetColumn } from '../model/target.js';
import { journalChunk } from '../target/mysql/journal.js';
import type { ChunkJob } from './load-chunk.js';
import { TsvRows, type Field } from '../tsv/tsv-rows.js';
import { openVerified, type OpenedChunk } from './verified-stream.js';
import { retrying } from './load-chunk.js';

/** Statements stay well under max_allowed_packet's 16 MiB default (one row may exceed this on its own). */
const BATCH_BYTES = 1 << 20;

/**
 * Loads a chunk with multi-row INSERTs, for servers where LOAD DATA LOCAL is switched off. The same file,
 * read with LOAD DATA's escaping rules; the same transaction with the journal row; sha256 checked before
 * COMMIT. Plain INSERT in strict mode raises errors rather than warnings, so nothing is skipped quietly.
 */
export async function insertChunk(conn: MyConnection, dumpDir: string, dumpId: string, job: ChunkJob): Promise<boolean> {
  return retrying(job, () => insertChunkOnce(conn, dumpDir, dumpId, job));
}

/** True when this call loaded the chunk; false when its journal row was there already. */
async function insertChunkOnce(conn: MyConnection, dumpDir: string, dumpId: string, { table, chunk, onBytes }: ChunkJob): Promise<boolean> {
  const store = await openStore(dumpDir);
  const path = store.where(chunk.file);
  let opened: OpenedChunk | undefined;
  const head = `INSERT INTO ${tableMy(table)} (${table.columns.map((c) => quoteMy(c.name)).join(', ')}) VALUES `;
  let batch: string[] = [];
  let size = 0;
  let inserted = 0;
  let line = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const [r] = await conn.query(head + batch.join(','));
    const header = r as ResultSetHeader;
    if (header.warningStatus > 0) throw new PgmyError('load-mismatch', `INSERT into ${table.name} from ${chunk.file} gave ${header.warningStatus} warning(s) near line ${line}; the chunk was rolled back.`, { table: table.name, chunk: chunk.file });
    inserted += header.affectedRows;
    batch = [];
    size = 0;
  };
  await conn.query('START TRANSACTION');
  try {
    if (!(await journalChunk(conn, dumpId, chunk))) {
      await conn.query('ROLLBACK');
      return false;
    }
    // Opened once the journal says the chunk is still to load (on S3 a started read is a GET).
    opened = openVerified(store, chunk, onBytes);
    // pipeline, not pipe: a failure of the file, its check or its decompression must end the loop with an error.
    for await (const fields of pipeline(opened.stream, new TsvRows(), () => undefined) as AsyncIterable<Field[]>) {
      line++;
      if (fields.length !== table.columns.length) {
        throw new PgmyError('chunk-corrupt', `Line ${line} of ${path} has ${fields.length} fields; ${table.name} has ${table.columns.length} columns.`, { table: table.name, chunk: chunk.file, row: line });
      }
      const tuple = '(' + fields.map((f, i) => literal(f, table.columns[i] as TargetColumn)).join(',') + ')';
      batch.push(tuple);
      size += tuple.length;
      if (size >= BATCH_BYTES) await flush();
    }
    await flush();
    const failed = opened.failure();
    if (failed) throw failed;
    if (!opened.verifier.verified) throw new PgmyError('chunk-corrupt', `Chunk ${path} was not read to its end.`, { table: table.name, chunk: chunk.file });
    if (inserted !== chunk.rows) {
      throw new PgmyError('load-mismatch', `Inserting ${chunk.file} into ${table.name} stored ${inserted} of ${chunk.rows} rows; the chunk was rolled back.`, { table: table.name, chunk: chunk.file });
    }
    await conn.query('COMMIT');
    return true;
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    opened?.stream.destroy();
    throw opened?.failure() ?? err;
  }
}

/** A value as SQL: hex for bytes loaded through UNHEX, otherwise a string literal the column converts. */
function literal(f: Field, c: TargetColumn): string {
  if (f === null) return 'NULL';
  if (c.load === 'unhex') {
    const hex = f.toString('latin1');
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new PgmyError('chunk-corrupt', `Column ${c.name} holds something that is not hex.`, { column: c.name });
    return `X'${hex}'`;
  }
  // Hex literals keep every byte and need no escaping; _utf8mb4 makes them text, not numbers or binary.
  return f.length === 0 ? "''" : `_utf8mb4 X'${f.toString('hex')}'`;
}

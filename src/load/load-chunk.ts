import { pipeline, Readable, type Transform } from 'node:stream';
import { openStore } from '../files/stores.js';
import type { ResultSetHeader } from 'mysql2';
import { myQueryError, type MyConnection } from '../target/mysql/connect.js';
import { loadDataSql } from '../target/mysql/load-data.js';
import { isRetryable } from '../target/mysql/error-codes.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';
import { PgmyError } from '../errors.js';
import type { TargetTable } from '../model/target.js';
import { journalChunk } from '../target/mysql/journal.js';
import { openVerified, type OpenedChunk } from './verified-stream.js';

export interface ChunkJob {
  readonly table: TargetTable;
  readonly chunk: ChunkRecord;
  /** The LOAD DATA statement, when not the one for a table pgmy created (--data-only). */
  readonly statement?: (fileName: string) => string;
  /** A rewrite of the verified bytes on their way to the server (--data-only conversions). */
  readonly transform?: () => Transform;
  /** Bytes of the chunk as the server reads them, for progress. */
  readonly onBytes?: (bytes: number) => void;
}

/**
 * Loads one chunk in its own transaction together with its journal row. LOAD DATA LOCAL turns errors into
 * warnings and skips rows it cannot insert, so the affected-row count and the warnings are checked before
 * COMMIT: any difference rolls the chunk back and names the table, chunk and row.
 */
export async function loadChunk(conn: MyConnection, dumpDir: string, dumpId: string, job: ChunkJob): Promise<boolean> {
  return retrying(job, () => loadChunkOnce(conn, dumpDir, dumpId, job));
}

/**
 * Runs one chunk's transaction again when InnoDB chose it as a deadlock victim or timed out on a lock (both
 * roll the transaction back whole), up to five times; other errors name the table and chunk.
 */
export async function retrying<T>(job: ChunkJob, once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (err) {
      if (attempt < 5 && isRetryable(err)) continue;
      throw err instanceof PgmyError ? err : myQueryError(err, `loading chunk ${job.chunk.file} into ${job.table.name}`, { table: job.table.name, chunk: job.chunk.file });
    }
  }
}

/** True when this call loaded the chunk; false when its journal row was there already (loaded before, or by another loader). */
async function loadChunkOnce(conn: MyConnection, dumpDir: string, dumpId: string, { table, chunk, statement, transform, onBytes }: ChunkJob): Promise<boolean> {
  const store = await openStore(dumpDir);
  const path = store.where(chunk.file);
  let opened: OpenedChunk | undefined;
  let refused: string | undefined;
  await conn.query('START TRANSACTION');
  try {
    if (!(await journalChunk(conn, dumpId, chunk))) {
      await conn.query('ROLLBACK');
      return false;
    }
    const [result] = await conn.query({
      sql: statement ? statement(path) : loadDataSql(table, path),
      // The server names the file it wants; only the chunk being loaded is ever served.
      infileStreamFactory: (requested: string) => {
        if (requested !== path || opened) {
          refused = requested;
          return new Readable({ read() { this.destroy(new Error(`pgmy refused to send ${requested}`)); } });
        }
        opened = openVerified(store, chunk, onBytes);
        if (!transform) return opened.stream;
        // pipeline: a failure of the file, its check or the rewrite fails the stream the server reads.
        return pipeline(opened.stream, transform(), () => undefined);
      },
    });
    if (refused !== undefined) throw refusedError(refused, path, table, chunk);
    const failed = opened?.failure();
    if (failed) throw failed;
    if (!opened?.verifier.verified) {
      throw new PgmyError('chunk-corrupt', `Chunk ${path} was not read to its end by the server.`, { table: table.name, chunk: chunk.file });
    }
    const header = result as ResultSetHeader;
    if (header.warningStatus > 0 || header.affectedRows !== chunk.rows) {
      throw await mismatchError(conn, table, chunk, header);
    }
    await conn.query('COMMIT');
    return true;
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    opened?.stream.destroy();
    throw refused !== undefined ? refusedError(refused, path, table, chunk) : opened?.failure() ?? err;
  }
}

function refusedError(requested: string, path: string, table: TargetTable, chunk: ChunkRecord): PgmyError {
  return new PgmyError('server', `The MySQL server asked for the file "${requested}" while pgmy was loading ${path}; pgmy refused to send it.`, {
    table: table.name, chunk: chunk.file,
    hint: 'A server that asks for other files is misbehaving or compromised: check which server --target points to.',
  });
}

async function mismatchError(conn: MyConnection, table: TargetTable, chunk: ChunkRecord, header: ResultSetHeader): Promise<PgmyError> {
  const [rows] = await conn.query('SHOW WARNINGS LIMIT 5');
  const warnings = rows as Array<{ Level: string; Code: number; Message: string }>;
  const first = warnings[0];
  const row = first ? /at row (\d+)/.exec(first.Message)?.[1] : undefined;
  const column = first ? /column '([^']+)'/.exec(first.Message)?.[1] : undefined;
  const listed = warnings.map((w) => `${w.Level} ${w.Code}: ${w.Message}`).join('; ');
  return new PgmyError('load-mismatch',
    `Loading ${chunk.file} into ${table.name} did not keep every value: MySQL took ${header.affectedRows} of ${chunk.rows} rows ` +
    `with ${header.warningStatus} warning(s)${listed ? ` (${listed})` : ''}. The chunk was rolled back; nothing from it was kept.` +
    (row ? ` The row is line ${row} of the chunk file.` : ''), {
      table: table.name, chunk: chunk.file,
      ...(row !== undefined ? { row: Number(row) } : {}), ...(column !== undefined ? { column } : {}),
      hint: 'A duplicate key means the target collation or key differs from PostgreSQL\'s; a truncated or out-of-range value means the column type cannot hold it (see `pgmy plan`).',
    });
}

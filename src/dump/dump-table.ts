import { isRemote, openStore } from '../files/stores.js';
import { join } from 'node:path';
import { copyTo } from '../source/postgres/copy-to.js';
import type { Codec } from '../compression/codec.js';
import { pgQueryError, type PgClient } from '../source/postgres/connect.js';
import { quotePg } from '../source/postgres/quote.js';
import { copyOutSql } from '../source/postgres/sql.js';
import type { TargetTable } from '../model/target.js';
import { CopyEscapes } from '../tsv/copy-escape.js';
import { pump } from './copy-pump.js';
import { ChunkWriter } from './chunk-writer.js';
import type { GroupSync } from '../files/group-sync.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';
import { tableDirName } from '../model/dump-format/file-names.js';
import { writeError } from '../files/io-error.js';
import { guardFailure, type ValueGuard } from './value-guard.js';
import { PgmyError } from '../errors.js';
import type { FolderState } from './table-folders.js';

export interface DumpTableOptions {
  readonly outDir: string;
  readonly chunkSize: number;
  readonly codec?: Codec;
  /** A partitioned table is read with its partitions; an ordinary one without inheritance children. */
  readonly partitioned: boolean;
  /** ORDER BY the primary key (see row-order.ts). */
  readonly orderByKey?: boolean;
  /** One part of a table dumped by key ranges: its condition and file-name prefix. */
  readonly part?: { readonly where: string; readonly prefix: string };
  /** The value checks the scan left to this COPY. */
  readonly guard?: ValueGuard;
  readonly onChunk?: (chunk: ChunkRecord) => void;
  readonly onBytes?: (bytes: number, rows: number) => void;
  /** The dump's fsyncs, in groups shared by its workers. */
  readonly sync?: GroupSync;
  /**
   * The table's folder as the run found it (made by makeTableFolders, whose fsync of their parent the first
   * chunk need not repeat); object storage has no folders, and its earlier objects count as `existed`.
   */
  readonly folder: FolderState;
}

export interface DumpedPiece {
  readonly rows: number;
  readonly bytes: number;
  readonly chunks: readonly ChunkRecord[];
  readonly seconds: number;
  /** Settles once every chunk file is on disk under its final name: only then may the manifest list them. */
  readonly durable: Promise<void>;
}

/** The COPY statement that renders every column the way LOAD DATA will read it. */
export function copySql(t: TargetTable, partitioned: boolean, where?: string, orderByKey = false): string {
  return copyOutSql({
    select: t.columns.map((c) => c.selectExpr), from: { schema: t.sourceSchema, name: t.sourceName, partitioned },
    ...(where ? { where } : {}), ...(orderByKey && t.primaryKey ? { orderBy: t.primaryKey.map(quotePg) } : {}),
  });
}

export function tableRelDir(t: TargetTable): string {
  return `data/${tableDirName(t.sourceSchema, t.sourceName)}`;
}

/** Streams one table, or one part of it, out of PostgreSQL into chunk files (durable when `durable` settles). */
export async function dumpTable(client: PgClient, t: TargetTable, options: DumpTableOptions): Promise<DumpedPiece> {
  const started = performance.now();
  const relDir = tableRelDir(t);
  const dir = join(options.outDir, relDir);
  const store = await openStore(options.outDir);
  // Whatever an earlier, interrupted run left for this table (or this part) is redone from the start; a
  // folder made just now holds nothing to remove.
  const prefix = options.part?.prefix ?? '';
  if (options.folder === 'existed') await store.removeFiles(relDir, prefix);

  const writer = new ChunkWriter({
    dir, relDir, chunkSize: options.chunkSize, ...(prefix ? { prefix } : {}), ...(options.codec ? { codec: options.codec } : {}),
    ...(options.onChunk ? { onChunk: options.onChunk } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}), ...(options.sync ? { sync: options.sync } : {}),
    ...(isRemote(store) ? { remote: store } : {}), parentSynced: true,
  });
  const table = `${t.sourceSchema}.${t.sourceName}`;
  let serverRows: number | undefined;
  try {
    const where = [options.part?.where, options.guard?.where].filter((w) => w !== undefined).map((w) => `(${w})`).join(' AND ');
    const copy = client.query(copyTo(copySql(t, options.partitioned, where, options.orderByKey)));
    await pump(copy, new CopyEscapes(), writer);
    serverRows = await copy.finished;
  } catch (err) {
    const refused = options.guard ? guardFailure(options.guard, err) : undefined;
    throw refused ?? writeError(err, options.outDir, table) ?? pgQueryError(err, `copying ${table}`, { table });
  }
  checkRowCount(serverRows, writer.chunks, table);
  const durable = writer.durable().catch((err: unknown) => {
    throw writeError(err, options.outDir, table) ?? err;
  });
  durable.catch(() => undefined);
  return {
    durable,
    rows: writer.chunks.reduce((n, c) => n + c.rows, 0), bytes: writer.chunks.reduce((n, c) => n + c.bytes, 0),
    chunks: writer.chunks, seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The rows in the chunk files are counted as the COPY's messages come (one per row); the server's own count
 * (its CommandComplete) must be the same, or the files are not what the server sent.
 */
export function checkRowCount(serverRows: number | undefined, chunks: readonly ChunkRecord[], table: string): void {
  const written = chunks.reduce((n, c) => n + c.rows, 0);
  if (serverRows === undefined || serverRows === written) return;
  throw new PgmyError('server', `PostgreSQL's COPY of ${table} reported ${serverRows} rows, but the chunk files hold ${written}.`, {
    table, hint: 'Nothing of this table is kept: run the dump again. If it happens again, the server is not sending one COPY message per row (is it PostgreSQL?): report it.',
  });
}

import type { ChunkRecord, TableData } from '../../model/dump-format/manifest.js';
import type { TargetTable } from '../../model/target.js';
import type { MyConnection } from '../../target/mysql/connect.js';
import type { ChunkJob } from '../load-chunk.js';
import type { LoadEvent } from '../options.js';

/** How a table whose chunks were dumped again is emptied before it is loaded whole (see stale.ts). */
export interface Emptying {
  readonly name: string;
  readonly emptySql: string;
  /** DELETE runs in one transaction with forgetting the journal rows; TRUNCATE cannot. */
  readonly transactional: boolean;
}

/**
 * Where a load puts the rows: into tables pgmy creates from the dump (OwnSchema), or into tables that exist
 * already, made by an application's framework (ExistingSchema, --data-only). The session does the same
 * for both — journal, stale tables, chunks on parallel sessions — and asks the target the rest.
 */
export interface LoadTarget {
  /** Unique checks on the loading sessions: off for pgmy's own tables (their unique keys come after the data). */
  readonly uniqueChecks: boolean;
  /** Another dump's load is being forgotten (--restart): what of it must go first. */
  forgetOtherLoad(admin: MyConnection): Promise<void>;
  /** Before any chunk: create, or check and empty, the tables. */
  prepare(admin: MyConnection): Promise<void>;
  /** The MySQL table a dumped table goes into. */
  tableName(d: TableData): string;
  emptying(d: TableData): Emptying;
  job(table: TargetTable, d: TableData, chunk: ChunkRecord, onBytes: (bytes: number) => void): ChunkJob;
  /** After every chunk: what the target still needs (indexes and keys, or checks) on the given sessions. */
  finish(admin: MyConnection, sessions: readonly MyConnection[], emit: (e: LoadEvent) => void, signal?: AbortSignal): Promise<void>;
}

/** What a load is asked to do, what it tells as it goes, and what it returns. */
import type { ServerFlavor } from '../model/target.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';
import type { PostDataStep } from './post-data.js';

export type LoadEvent =
  | { type: 'start'; database: string; flavor: ServerFlavor; serverVersion: string; chunks: number; bytes: number; alreadyLoaded: number;
      /** What is left to load, per table. */
      tables: ReadonlyArray<{ table: string; chunks: number; bytes: number }> }
  /** Bytes of a chunk as the server reads them (many per chunk; for progress displays). */
  | { type: 'bytes'; table: string; bytes: number }
  | { type: 'chunk-done'; table: string; chunk: ChunkRecord }
  /** migrate: a chunk an earlier run already loaded (the journal holds it), passed over. */
  | { type: 'chunk-kept'; table: string; chunk: ChunkRecord }
  /** The table's chunks were dumped again after part of it was loaded: it was emptied and is loaded whole. */
  | { type: 'reset'; table: string }
  /** Every chunk of the table that this run had to load is loaded. */
  | { type: 'table-done'; table: string }
  /** The data is in; `steps` indexes, foreign keys and AUTO_INCREMENT values are to be added (those an earlier run added are not counted). */
  | { type: 'post-data-start'; steps: number }
  /** Something the load leaves out and says so (load --tables: a foreign key to a table not loaded). */
  | { type: 'warning'; table?: string; message: string }
  | { type: 'post-data'; kind: PostDataStep['kind']; table: string };

export interface LoadOptions {
  readonly target: string;
  /** The target's password, when not in the URL (else MYSQL_PWD). */
  readonly targetPassword?: string;
  /** The dump folder, or s3://bucket/prefix. */
  readonly dir: string;
  /** Seconds a claimed chunk stays this loader's without renewal: a loader sharing the dump that dies loses its chunks to the others after this (--claim-lease). */
  readonly claimLeaseSeconds?: number;
  /** The dump may still be being written: load its tables as it completes them, until it is complete (--follow). */
  readonly follow?: boolean;
  /** An S3-compatible endpoint for an s3:// dump location (--s3-endpoint); AWS S3 itself needs none. */
  readonly s3Endpoint?: string;
  readonly jobs?: number;
  /** Seconds a connection may make no progress with a statement in flight before it is checked and given up (--stall-timeout). */
  readonly stallTimeout?: number;
  /** Stops the load: no new chunk or step starts, and the statements in flight are stopped on the server. */
  readonly signal?: AbortSignal;
  /** Replace target tables that already hold rows pgmy did not load. */
  readonly truncate?: boolean;
  /** Forget another dump's load in this database and start over (its tables are dropped). */
  readonly restart?: boolean;
  /** Load only these tables of the dump (MySQL name or source schema.name); foreign keys to the others are left out. */
  readonly tables?: readonly string[];
  /** Which pgmy command runs the load (the journal keeps it, so that inspect advises the right one). */
  readonly command?: 'load' | 'migrate';
  /** Load into tables that already exist (made by a framework), matching them by name; no DDL. */
  readonly dataOnly?: boolean;
  /** --data-only: match table and column names ignoring case. */
  readonly ignoreCase?: boolean;
  /** --data-only: columns on one side only are skipped (source) or left to their defaults (target). */
  readonly allowMissingColumns?: boolean;
  /** `infile` (LOAD DATA LOCAL, the fast way) or `insert` (multi-row INSERTs, for servers with local_infile off). */
  readonly method?: 'infile' | 'insert';
  readonly onEvent?: (e: LoadEvent) => void;
}

export interface TableLoadResult {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly chunks: number;
  /** When this run began and finished loading the table's chunks (seconds from the load's start), if it did. */
  readonly startSecond?: number;
  readonly seconds?: number;
}

export interface LoadResult {
  readonly database: string;
  readonly flavor: ServerFlavor;
  readonly serverVersion: string;
  readonly tables: readonly TableLoadResult[];
  readonly chunksLoaded: number;
  readonly chunksSkipped: number;
  readonly seconds: number;
}


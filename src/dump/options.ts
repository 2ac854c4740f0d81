import type { TextKeyPolicy } from '../mapping/key-fit.js';
import type { Conventions } from '../mapping/conventions.js';
import type { Codec } from '../compression/codec.js';
import type { ChunkRecord, Manifest, TableData } from '../model/dump-format/manifest.js';
import type { ServerFlavor } from '../model/target.js';
import type { UnrepresentablePolicy } from '../mapping/scan-model.js';
import { DEFAULTS } from '../defaults.js';

/** 64 MiB of TSV a chunk file. */
export const DEFAULT_CHUNK_SIZE = DEFAULTS.chunkSize;

/** A table's size as a dump starts (its chunk count too when kept whole from an earlier run). */
export interface DumpTableSize { readonly table: string; readonly bytes: number; readonly exact: boolean; readonly kept: number; readonly done: boolean; readonly chunks?: number }

export type DumpEvent =
  | { type: 'start'; tables: number; estimatedBytes: number; reused: number;
      /** Each table's size: exact (and done) when kept whole from an earlier run, else PostgreSQL's estimate plus the bytes of kept parts. */
      perTable: readonly DumpTableSize[] }
  /** A table, or one key-range part of it, begins; estimatedBytes is the whole table's estimate. */
  | { type: 'table-start'; table: string; estimatedBytes: number; part?: number }
  /** A chunk file is complete on disk (fsynced, final name); `source` is its table's schema.name. */
  | { type: 'chunk'; table: string; source: string; chunk: ChunkRecord }
  /** Bytes and rows written so far, as they go (many per chunk; for progress displays). */
  | { type: 'bytes'; table: string; bytes: number; rows: number }
  | { type: 'table-done'; table: string; data: TableData; reused: boolean };

export interface DumpOptions {
  readonly source: string;
  /** The source's password, when not in the URL (else PGPASSWORD). */
  readonly sourcePassword?: string;
  /** The dump folder, or s3://bucket/prefix. */
  readonly out: string;
  /** An S3-compatible endpoint for an s3:// dump location (--s3-endpoint); AWS S3 itself needs none. */
  readonly s3Endpoint?: string;
  readonly schemas?: readonly string[];
  readonly tables?: readonly string[];
  readonly excludeTables?: readonly string[];
  readonly jobs?: number;
  /** Seconds a connection may make no progress with a query in flight before it is checked and given up (--stall-timeout). */
  readonly stallTimeout?: number;
  readonly chunkSize?: number;
  /** How chunk files are stored (--compress); plain TSV by default. */
  readonly compress?: Codec;
  /** What to do with values MySQL cannot hold (found by scanning the source first): refuse by default. */
  readonly onUnrepresentable?: UnrepresentablePolicy;
  /** Source schema → MySQL database (see MapOptions.schemaMap). */
  readonly schemaMap?: ReadonlyMap<string, string>;
  readonly textCollation?: string;
  /** Keys on unbounded text/bytea: VARCHAR(n)/VARBINARY(n) from the scan (default), or refused. */
  readonly textKeys?: TextKeyPolicy;
  /** Column types a framework's MySQL backend expects (--conventions django|rails). */
  readonly conventions?: Conventions;
  /** Which pgmy command runs the dump (the manifest keeps it, so that inspect advises the right one). */
  readonly command?: 'dump' | 'migrate';
  /** `[schema.]table.column` → MySQL type the user chose (--cast). */
  readonly casts?: ReadonlyMap<string, string>;
  /** `[schema.]table` → MySQL table name (--rename). */
  readonly renames?: ReadonlyMap<string, string>;
  /** Skip the scan; such values then fail the load of their chunk instead. */
  readonly skipScan?: boolean;
  /** Which server the schema.sql / post-data.sql files are written for (load renders its own). */
  readonly targetFlavor?: ServerFlavor;
  readonly onEvent?: (e: DumpEvent) => void;
  /** Called once the first manifest (the whole schema, the tables kept from an earlier run) is on disk. */
  readonly onStarted?: (manifest: Manifest) => void;
  /** Stops the dump: no new table is started and the COPYs under way are cut off; the dump then fails. */
  readonly signal?: AbortSignal;
}

export interface DumpResult {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly seconds: number;
}

import type { Readable } from 'node:stream';
import { resolve } from 'node:path';

/**
 * Where a dump folder lives: a local folder, or a prefix in an S3-compatible bucket (`s3://bucket/prefix`).
 * The dump's files are named by their path inside it (`manifest.json`, `data/public.users/000001.tsv`).
 * Writes are whole or nothing: a file under its final name is always complete.
 */
export interface DumpStore {
  /** The folder's path, or its s3:// URL. */
  readonly location: string;
  readonly remote: boolean;
  /** A file's name for messages (and for LOAD DATA's file name): its full path or URL. */
  where(name: string): string;
  /** The file's text, or undefined when there is none. */
  readText(name: string): Promise<string | undefined>;
  /** Writes a whole file atomically. */
  writeWhole(name: string, data: string | readonly Buffer[]): Promise<void>;
  /** The names directly in the folder (sub-folders without a slash), or undefined when it does not exist. */
  entries(): Promise<string[] | undefined>;
  /** The size of a file, or undefined when there is none. */
  size(name: string): Promise<number | undefined>;
  /**
   * The file's bytes, read as they are needed; a missing file fails the stream. `expectedBytes` (the size the
   * manifest records) only sizes the reads: a file of another size is still read whole.
   */
  openRead(name: string, expectedBytes?: number): Readable;
  /** Removes the files of folder `dir` whose names start with `prefix` (every file when it is ''). */
  removeFiles(dir: string, prefix: string): Promise<void>;
}

/** Writes one chunk into a remote store: the object appears, whole, only when `committed` settles. */
export interface RemoteChunk {
  write(buffers: readonly Buffer[]): Promise<void>;
  /** No more bytes; the upload finishes in the background. */
  end(): void;
  /** Settles once the object is stored under its final name. */
  readonly committed: Promise<void>;
  abort(): Promise<void>;
}

export interface RemoteStore extends DumpStore {
  readonly remote: true;
  openChunk(name: string): RemoteChunk;
  /** Aborts uploads an earlier, killed run left unfinished under this prefix, where the server lists them. */
  abortStaleUploads(): Promise<void>;
  /** Checks that the bucket can be reached before anything else is done. */
  check(): Promise<void>;
}

export const isRemoteLocation = (location: string): boolean => /^s3:\/\//i.test(location);

/** A dump location as pgmy keeps it: an absolute path, or the s3:// URL as given. */
export const dumpLocation = (location: string): string => (isRemoteLocation(location) ? location.replace(/\/+$/, '') : resolve(location));

/** How to reach S3: what the AWS SDK does not read from AWS_* variables and ~/.aws itself. */
export interface S3Settings {
  /** An S3-compatible endpoint (MinIO, Ceph, s3rver...): path-style addressing is used with it. */
  readonly endpoint?: string;
}

import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { codecExtension, NO_COMPRESSION, type Codec } from '../compression/codec.js';
import { fileOut, openSink, type ChunkSink, type EndedChunk } from './chunk-sink.js';
import { OpenFile } from '../files/open-file.js';
import { hasRowCount, rowsIn, withRows } from '../tsv/row-counts.js';
import type { RemoteChunk, RemoteStore } from '../files/store.js';
import { chunkFileName } from '../model/dump-format/file-names.js';
import { GroupSync } from '../files/group-sync.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';

export interface ChunkWriterOptions {
  /** Absolute folder for this table's chunks. */
  readonly dir: string;
  /** The same folder relative to the dump directory, for the records. */
  readonly relDir: string;
  readonly chunkSize: number;
  readonly firstIndex?: number;
  /** Put before the number in file names (a table's part: `p0001-000001.tsv`). */
  readonly prefix?: string;
  /** How chunk files are stored; none by default. */
  readonly codec?: Codec;
  readonly onChunk?: (chunk: ChunkRecord) => void;
  /** Bytes and rows as they are written, for progress. */
  readonly onBytes?: (bytes: number, rows: number) => void;
  /** Makes the chunk files durable, in groups shared with other writers; a writer of its own by default. */
  readonly sync?: GroupSync;
  /** Object storage to upload the chunks to, instead of files in `dir`. */
  readonly remote?: RemoteStore;
  /** The folder's own entry is on disk already (its parent was fsynced after it was made: table-folders.ts). */
  readonly parentSynced?: boolean;
}

const NEWLINE = 0x0a;
const UNSYNCED_CHUNKS = 2;
/** Uploads of one writer still finishing while it writes the next chunk: each holds its parts in memory. */
const UNFINISHED_UPLOADS = 1;

/**
 * Writes a stream of COPY rows into chunk files that each end on a row boundary. Bytes go to disk as they
 * come (a single huge value never sits in memory); a chunk is only closed after a newline, once it has
 * reached the chunk size. Each chunk is written under a temporary name, fsynced, then renamed, so a file
 * with a final name is always complete; its row count, size and sha256 are recorded. The fsyncs run while
 * the next chunk is written: `durable()` settles once every chunk is on disk, and `onChunk` is told then.
 */
export class ChunkWriter extends Writable {
  readonly chunks: ChunkRecord[] = [];
  private sink: ChunkSink | undefined;
  /** The chunk in progress: its file, or its upload. */
  private file: OpenFile | undefined;
  private upload: RemoteChunk | undefined;
  /** TSV bytes of the chunk in progress, which decide where it is cut. */
  private bytes = 0;
  private rows = 0;
  private index: number;
  private lastByte = NEWLINE;
  private readonly sync: GroupSync;
  private readonly syncing: Array<Promise<void>> = [];

  constructor(private readonly options: ChunkWriterOptions) {
    super({ highWaterMark: 1 << 20 });
    this.index = options.firstIndex ?? 1;
    this.sync = options.sync ?? new GroupSync();
  }

  /** Settles once every chunk closed so far is on disk under its final name (rejects if one could not be). */
  async durable(): Promise<void> {
    await Promise.all(this.syncing);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, done: (err?: Error | null) => void): void {
    this.writeBuffers(chunks.map((c) => c.chunk)).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.finish().then(() => done(), done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    const s = this.sink;
    this.sink = undefined;
    if (!s) return done(err);
    s.abort().then(() => done(err), () => done(err));
  }

  private async writeBuffers(buffers: Buffer[]): Promise<void> {
    const { chunkSize } = this.options;
    let pending: Buffer[] = [];
    for (let b of buffers) {
      while (b.length > 0) {
        if (!this.sink) this.openChunk();
        // Cut at the first row end at or after the chunk size; until then the whole buffer belongs here.
        const nl = this.bytes + b.length < chunkSize ? -1 : b.indexOf(NEWLINE, Math.max(0, chunkSize - this.bytes - 1));
        const piece = nl === -1 ? b : b.subarray(0, nl + 1);
        this.account(piece);
        pending.push(piece);
        // A buffer cut in two: the rest keeps the count of rows it ends, as the whole buffer had one.
        b = nl === -1 ? b.subarray(b.length) : rest(b, piece);
        if (nl !== -1) {
          await (this.sink as ChunkSink).write(pending);
          pending = [];
          await this.closeChunk();
        }
      }
    }
    if (pending.length > 0) await (this.sink as ChunkSink).write(pending);
  }

  private account(piece: Buffer): void {
    if (piece.length === 0) return;
    const rows = rowsIn(piece);
    this.rows += rows;
    this.bytes += piece.length;
    this.options.onBytes?.(piece.length, rows);
    this.lastByte = piece[piece.length - 1] as number;
  }

  private async finish(): Promise<void> {
    if (!this.sink) return;
    if (this.lastByte !== NEWLINE) throw new Error('COPY output ended in the middle of a row');
    if (this.bytes > 0) await this.closeChunk();
    else await this.sink.abort();
  }

  private fileName(): string {
    return chunkFileName(this.index, this.options.prefix) + codecExtension((this.options.codec ?? NO_COMPRESSION).name);
  }

  private tmpPath(): string {
    return join(this.options.dir, this.fileName() + '.partial');
  }

  private openChunk(): void {
    const { remote } = this.options;
    if (remote) {
      const upload = remote.openChunk(`${this.options.relDir}/${this.fileName()}`);
      this.upload = upload;
      this.sink = openSink({ write: (b) => upload.write(b), abort: () => upload.abort() }, this.options.codec ?? NO_COMPRESSION);
    } else {
      this.file = OpenFile.create(this.tmpPath());
      this.sink = openSink(fileOut(this.file), this.options.codec ?? NO_COMPRESSION);
    }
    this.bytes = 0;
    this.rows = 0;
  }

  private async closeChunk(): Promise<void> {
    const sink = this.sink as ChunkSink;
    this.sink = undefined;
    let stored: EndedChunk;
    try {
      stored = await sink.end();
    } catch (err) {
      // The last write failed (a full disk): the file is closed here, since _destroy no longer sees the sink.
      await sink.abort();
      throw err;
    }
    const name = this.fileName();
    const record: ChunkRecord = {
      file: `${this.options.relDir}/${name}`, rows: this.rows, bytes: stored.bytes, sha256: stored.sha256,
      ...((this.options.codec ?? NO_COMPRESSION).name !== 'none' ? { tsvBytes: this.bytes } : {}),
    };
    const synced = this.place().then(() => this.options.onChunk?.(record));
    synced.catch(() => undefined);
    this.syncing.push(synced);
    this.chunks.push(record);
    this.index++;
    // At most two chunks of one writer wait for their fsync (each holds its file open), or one for its upload
    // to finish (it holds its parts in memory): then the COPY waits.
    const behind = this.syncing.at(-(this.options.remote ? UNFINISHED_UPLOADS : UNSYNCED_CHUNKS) - 1);
    if (behind) await behind;
  }

  /** Settles once the chunk just ended is stored whole under its final name. */
  private place(): Promise<void> {
    const { upload, file } = this;
    this.upload = undefined;
    this.file = undefined;
    if (upload) {
      upload.end();
      return upload.committed;
    }
    const { dir } = this.options;
    // The first chunk's group also syncs the parent folder, in which this table's folder may be new.
    const first = this.index === (this.options.firstIndex ?? 1) && this.options.parentSynced !== true;
    return this.sync.add({ file: file as OpenFile, tmp: this.tmpPath(), final: join(dir, this.fileName()), dirs: first ? [dir, dirname(dir)] : [dir] });
  }
}

/** What follows `piece` in `b`, with the rows that end in it when `b`'s count was known. */
function rest(b: Buffer, piece: Buffer): Buffer {
  const after = b.subarray(piece.length);
  return hasRowCount(b) ? withRows(after, rowsIn(b) - rowsIn(piece)) : after;
}

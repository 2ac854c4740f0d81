import { createHash } from 'node:crypto';
import type { OpenFile } from '../files/open-file.js';
import { Writable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { compressor, type Codec } from '../compression/codec.js';

export interface EndedChunk {
  readonly bytes: number;
  readonly sha256: string;
}

/** Where a chunk's stored bytes go: a file, or an upload. */
export interface ChunkOut {
  write(buffers: readonly Buffer[]): Promise<void>;
  /** Writes what `write` may have held back; called once the chunk's last bytes are given. */
  flush?(): Promise<void>;
  /** Gives up: closes the file, or aborts the upload. */
  abort(): Promise<void>;
}

/**
 * Bytes gathered before one writev: a system call per 1 MiB rather than per COPY socket read (64 KiB). When
 * the writes went through libuv's thread pool, one per socket read, the 1.5 M-row table's dump spent 0.8 s
 * of its main thread queueing them.
 */
const WRITE_BYTES = 1 << 20;

/**
 * Written bytes after which the file's data is sent to disk in the background (fdatasync in the thread pool,
 * one at a time), as PostgreSQL's *_flush_after settings start writeback early: the chunk's own fsync, which
 * the dump waits for, then has only the last few MiB to write. The 100 k-row table's one 24 MB chunk: its
 * fsync took 19 ms after the COPY's end, all of it on the dump's path.
 */
export const SYNC_AHEAD_BYTES = 8 << 20;

/** A chunk file open for writing (written in the calling thread: see OpenFile). */
export function fileOut(file: Pick<OpenFile, 'writeAll' | 'syncData' | 'close'>, syncAhead = SYNC_AHEAD_BYTES): ChunkOut {
  let held: Buffer[] = [];
  let size = 0;
  let unsynced = 0;
  let syncing: Promise<void> | undefined;
  // An early fdatasync that failed is the chunk's failure: a later fsync may not report the error again.
  let syncFailed: Error | undefined;
  const flush = (): void => {
    if (held.length === 0) return;
    const buffers = held;
    held = [];
    file.writeAll(buffers);
    unsynced += size;
    size = 0;
    if (unsynced >= syncAhead && !syncing) {
      unsynced = 0;
      syncing = file.syncData().catch((err: unknown) => { syncFailed ??= err instanceof Error ? err : new Error(`fdatasync failed: ${JSON.stringify(err)}`); }).finally(() => { syncing = undefined; });
    }
  };
  // The file is handed on (fsynced, closed) or closed only once no fdatasync of it is under way.
  const settle = async (): Promise<void> => {
    await syncing;
    if (syncFailed !== undefined) throw syncFailed;
  };
  return {
    write: (buffers) => settled(() => {
      for (const b of buffers) {
        held.push(b);
        size += b.length;
      }
      if (size >= WRITE_BYTES) flush();
    }),
    flush: () => settled(flush).then(settle),
    abort: async () => {
      await syncing;
      try {
        file.close();
      } catch {
        // Given up anyway: the file is removed by whoever retries the table.
      }
    },
  };
}

/** A write in the calling thread as a promise, which a failed write (a full disk) rejects. */
function settled(write: () => void): Promise<void> {
  try {
    write();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Where one chunk's TSV goes: straight into its file, or through a compressor. */
export interface ChunkSink {
  write(buffers: readonly Buffer[]): Promise<void>;
  /** Ends the chunk: gives the size and sha256 of the file as stored (a file stays open, for its fsync). */
  end(): Promise<EndedChunk>;
  /** Gives up the chunk (its file is removed by whoever retries the table). */
  abort(): Promise<void>;
}

export function openSink(out: ChunkOut, codec: Codec): ChunkSink {
  const c = compressor(codec);
  return c ? new CompressedSink(out, c) : new StoredFile(out);
}

/** The chunk's file as stored (the sink of an uncompressed chunk): every byte written is hashed and counted. */
class StoredFile implements ChunkSink {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  constructor(private readonly out: ChunkOut) {}

  async write(buffers: readonly Buffer[]): Promise<void> {
    for (const b of buffers) {
      this.hash.update(b);
      this.bytes += b.length;
    }
    await this.out.write(buffers);
  }

  async end(): Promise<EndedChunk> {
    await this.out.flush?.();
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

class CompressedSink implements ChunkSink {
  private readonly stored: StoredFile;
  private readonly piped: Promise<void>;

  constructor(out: ChunkOut, private readonly compressor: Duplex) {
    const stored = new StoredFile(out);
    this.stored = stored;
    const toFile = new Writable({
      highWaterMark: 1 << 20,
      writev(chunks: Array<{ chunk: Buffer }>, done) {
        stored.write(chunks.map((x) => x.chunk)).then(() => done(), done);
      },
    });
    this.piped = pipeline(compressor, toFile);
    this.piped.catch(() => undefined);
  }

  async write(buffers: readonly Buffer[]): Promise<void> {
    for (const b of buffers) {
      // Backpressure: wait until the compressor has taken what it holds, or has failed.
      if (!this.compressor.write(b)) await Promise.race([new Promise((r) => this.compressor.once('drain', r)), this.piped]);
    }
  }

  async end(): Promise<EndedChunk> {
    this.compressor.end();
    await this.piped;
    return this.stored.end();
  }

  async abort(): Promise<void> {
    this.compressor.destroy();
    await this.stored.abort();
  }
}

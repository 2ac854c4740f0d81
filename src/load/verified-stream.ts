import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { codecOfFile, decompressor } from '../compression/codec.js';
import { PgmyError } from '../errors.js';
import type { ChunkRecord } from '../model/dump-format/manifest.js';
import type { DumpStore } from '../files/store.js';

/**
 * Reads a chunk file while computing its sha256 and size; at the end a mismatch with the manifest fails the
 * stream, which fails the LOAD DATA that reads it (whose transaction is then rolled back).
 */
export class VerifyingStream extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  /** Set once the whole file was read and matched. */
  verified = false;

  constructor(private readonly chunk: ChunkRecord, private readonly path: string, private readonly onBytes?: (bytes: number) => void) {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(data: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(data);
    this.bytes += data.length;
    this.onBytes?.(data.length);
    if (this.bytes > this.chunk.bytes) return done(this.mismatch(`it is longer than the ${this.chunk.bytes} bytes recorded`));
    done(null, data);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.chunk.bytes) return done(this.mismatch(`it has ${this.bytes} bytes, the manifest records ${this.chunk.bytes}`));
    const sha = this.hash.digest('hex');
    if (sha !== this.chunk.sha256) return done(this.mismatch(`its sha256 is ${sha}, the manifest records ${this.chunk.sha256}`));
    this.verified = true;
    done();
  }

  private mismatch(what: string): PgmyError {
    return new PgmyError('chunk-corrupt', `Chunk ${this.path} is damaged: ${what}. Nothing from it was loaded.`, {
      chunk: this.chunk.file, hint: 'Copy the dump folder again from where it was made, or dump again.',
    });
  }
}

/**
 * A chunk file read as TSV: its bytes checked against the manifest as they come off the disk, then
 * decompressed when the file name says so. Any stage failing fails the stream the caller reads (so a LOAD
 * DATA reading it fails) with the first error, which `failure()` also gives.
 */
export function openVerified(store: DumpStore, chunk: ChunkRecord, onBytes?: (bytes: number) => void): OpenedChunk {
  const path = store.where(chunk.file);
  const verifier = new VerifyingStream(chunk, path, onBytes);
  const file = store.openRead(chunk.file, chunk.bytes);
  let failure: Error | undefined;
  file.on('error', (err: NodeJS.ErrnoException) => {
    failure ??= new PgmyError('chunk-missing', `Chunk ${path} cannot be read: ${err.code ?? err.message}.`, {
      chunk: chunk.file, hint: 'The dump folder is incomplete: copy it again from where it was made, or dump again.', cause: err,
    });
  });
  const codec = codecOfFile(chunk.file);
  const inflate = decompressor(codec);
  const done = (err: Error | null) => {
    if (!err) return;
    failure ??= err instanceof PgmyError ? err : new PgmyError('chunk-corrupt', `Chunk ${path} cannot be decompressed (${codec}): ${err.message}.`, {
      chunk: chunk.file, hint: 'Copy the dump folder again from where it was made, or dump again.', cause: err,
    });
  };
  const stream: Readable = inflate ? pipeline(file, verifier, inflate, done) : pipeline(file, verifier, done);
  return { stream, verifier, failure: () => failure };
}

export interface OpenedChunk {
  /** The TSV, to be read once. */
  readonly stream: Readable;
  readonly verifier: VerifyingStream;
  /** The first thing that went wrong reading, checking or decompressing the file. */
  failure(): Error | undefined;
}

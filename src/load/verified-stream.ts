import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { PgmyError } from '../errors.js';
import type { ChunkRecord } from '../dump/chunk-writer.js';

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

export function openVerified(path: string, chunk: ChunkRecord, onBytes?: (bytes: number) => void): { stream: Readable; verifier: VerifyingStream } {
  const verifier = new VerifyingStream(chunk, path, onBytes);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  file.on('error', (err) => verifier.destroy(new PgmyError('chunk-missing', `Chunk ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err.message}.`, {
    chunk: chunk.file, hint: 'The dump folder is incomplete: copy it again from where it was made, or dump again.', cause: err,
  })));
  return { stream: file.pipe(verifier), verifier };
}

import { closeSync, fsync, openSync, writeSync, writev } from 'node:fs';

/** Below this a write is made at once, in the calling thread, rather than queued to libuv's thread pool. */
const SYNC_WRITE_BYTES = 1 << 20;

/**
 * A file written through its descriptor. Opening, closing, renaming and a write under 1 MiB are made in the
 * calling thread: each is a few microseconds of system call, where a trip through libuv's thread pool wakes
 * a pool thread and then the main thread again, and on a machine whose two cores PostgreSQL shares that
 * switching was most of what a small table cost (200 tables of 500 rows: their COPY phase 400-470 ms with
 * every file operation through the pool, 300-360 ms so). Larger writes and every fsync go to the pool.
 */
export class OpenFile {
  private closed = false;

  private constructor(private readonly fd: number) {}

  /** Creates (or truncates) the file, readable and writable by its owner only. */
  static create(path: string): OpenFile {
    return new OpenFile(openSync(path, 'w', 0o600));
  }

  /** Opens a file or folder read-only, to fsync it. */
  static forSync(path: string): OpenFile {
    return new OpenFile(openSync(path, 'r'));
  }

  /** Writes every byte of `buffers` (a write to a file may be short: the rest is written after it). */
  async writeAll(buffers: readonly Buffer[]): Promise<void> {
    let rest = buffers.filter((b) => b.length > 0);
    while (rest.length > 0) {
      let written = await this.writev(rest);
      const next: Buffer[] = [];
      for (const b of rest) {
        if (written >= b.length) written -= b.length;
        else {
          next.push(written > 0 ? b.subarray(written) : b);
          written = 0;
        }
      }
      rest = next;
    }
  }

  sync(): Promise<void> {
    return new Promise((resolve, reject) => fsync(this.fd, (err) => (err ? reject(err) : resolve())));
  }

  /** Closes the descriptor once; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private async writev(buffers: readonly Buffer[]): Promise<number> {
    const size = buffers.reduce((n, b) => n + b.length, 0);
    if (size < SYNC_WRITE_BYTES) return writeSync(this.fd, buffers.length === 1 ? buffers[0] as Buffer : Buffer.concat(buffers));
    return await new Promise((resolve, reject) => writev(this.fd, buffers, (err, n) => (err ? reject(err) : resolve(n))));
  }
}

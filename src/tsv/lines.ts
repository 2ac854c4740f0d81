const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into lines in linear time, however long a line is. The unfinished line is kept as the
 * list of pieces it arrived in and joined once, when its newline comes: re-joining it on every buffer was
 * quadratic (a 32 MiB value read in 64 KiB buffers copied gigabytes).
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private pendingBytes = 0;

  /** Calls `onLine` for every line `chunk` completes (without its newline). */
  push(chunk: Buffer, onLine: (line: Buffer) => void): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl !== -1 && this.pendingBytes > 0) {
      this.pieces.push(chunk.subarray(0, nl));
      onLine(Buffer.concat(this.pieces, this.pendingBytes + nl));
      this.pieces = [];
      this.pendingBytes = 0;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      onLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      // A copy: the caller's buffer may be reused once this returns.
      const rest = Buffer.from(chunk.subarray(start));
      this.pieces.push(rest);
      this.pendingBytes += rest.length;
    }
  }

  /** Bytes of a line begun and not yet ended (non-zero at the end of a stream means it was cut short). */
  get pending(): number {
    return this.pendingBytes;
  }
}

/**
 * Runs a write (of a file that always holds the latest state) on request, coalescing requests: one made while
 * a write is under way, or less than `spacingMs` after one began, is carried by the next write, which writes
 * the state as it is then. The promise a request returns settles with the write that carries it.
 */
export class CoalescingWriter {
  private written: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private lastStart = 0;

  constructor(private readonly write: () => Promise<void>, private readonly spacingMs: number) {}

  request(): Promise<void> {
    this.pending ??= this.written
      .then(() => new Promise((r) => setTimeout(r, Math.max(0, this.lastStart + this.spacingMs - performance.now()))))
      .then(() => {
        this.pending = undefined;
        this.lastStart = performance.now();
        this.written = this.write();
        return this.written;
      });
    return this.pending;
  }

  /** Settles once every request made so far has been written. */
  idle(): Promise<void> {
    return this.pending ?? this.written;
  }
}

/** Time as the writer sees it; tests give it a clock of their own. */
export interface WriterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: WriterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * Runs a write (of a file that always holds the latest state) on request, coalescing requests: one made while
 * a write is under way, or less than `spacingMs` after one began, is carried by the next write, which writes
 * the state as it is then. The promise a request returns settles with the write that carries it.
 */
export class CoalescingWriter {
  private written: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly write: () => Promise<void>, private readonly spacingMs: number, private readonly clock: WriterClock = REAL_CLOCK) {}

  request(): Promise<void> {
    this.pending ??= this.written
      .then(() => {
        const wait = this.lastStart + this.spacingMs - this.clock.now();
        return wait > 0 ? this.clock.sleep(wait) : undefined;
      })
      .then(() => {
        this.pending = undefined;
        this.lastStart = this.clock.now();
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

/** Time as the writer sees it; tests give it a clock of their own. */
export interface WriterClock {
  now(): number;
  /** Settles after `ms`, or as soon as `wake` settles. */
  sleep(ms: number, wake?: Promise<void>): Promise<void>;
}

const REAL_CLOCK: WriterClock = {
  now: () => performance.now(),
  sleep: (ms, wake) => new Promise((r) => {
    const timer = setTimeout(r, ms);
    void wake?.then(() => {
      clearTimeout(timer);
      r();
    });
  }),
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
  private wake: (() => void) | undefined;

  constructor(private readonly write: () => Promise<void>, private spacingMs: number, private readonly clock: WriterClock = REAL_CLOCK) {}

  /** No more spacing, from now on and for a request already waiting: the run is ending and waits for it. */
  hurry(): void {
    this.spacingMs = 0;
    this.wake?.();
  }

  request(): Promise<void> {
    this.pending ??= this.written
      .then(() => {
        const wait = this.lastStart + this.spacingMs - this.clock.now();
        return wait > 0 ? this.clock.sleep(wait, new Promise<void>((r) => { this.wake = r; })) : undefined;
      })
      .then(() => {
        this.wake = undefined;
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

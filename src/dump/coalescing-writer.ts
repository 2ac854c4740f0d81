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
 *
 * With `tookFactor`, the spacing is also at least that many times what the last write took: a state that
 * grows (a manifest of 3000 tables is 13 MB) is then written less often, so that its writes keep to a share
 * of the run instead of taking more of it as it grows.
 */
export class CoalescingWriter {
  private written: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastTook = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly write: () => Promise<void>, private spacingMs: number, private readonly clock: WriterClock = REAL_CLOCK,
    private tookFactor = 0,
  ) {}

  /** No more spacing, from now on and for a request already waiting: the run is ending and waits for it. */
  hurry(): void {
    this.spacingMs = 0;
    this.tookFactor = 0;
    this.wake?.();
  }

  request(): Promise<void> {
    this.pending ??= this.written
      .then(() => {
        const wait = this.lastStart + Math.max(this.spacingMs, this.lastTook * this.tookFactor) - this.clock.now();
        return wait > 0 ? this.clock.sleep(wait, new Promise<void>((r) => { this.wake = r; })) : undefined;
      })
      .then(() => {
        this.wake = undefined;
        this.pending = undefined;
        const start = this.clock.now();
        this.lastStart = start;
        this.written = this.write().then(() => { this.lastTook = this.clock.now() - start; });
        return this.written;
      });
    return this.pending;
  }

  /** Settles once every request made so far has been written. */
  idle(): Promise<void> {
    return this.pending ?? this.written;
  }
}

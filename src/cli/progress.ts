import type { Io } from './output.js';
import { formatBytes } from './output.js';

/**
 * What a long command tells the user while it runs: nothing (--quiet), one JSON object per line (--json),
 * or plain lines: each finished table, and every few seconds the bytes done, the rate and the time left.
 */
export class Progress {
  private readonly started = performance.now();
  private lastLine = 0;
  private done = 0;
  private total = 0;

  constructor(private readonly io: Io, private readonly mode: 'quiet' | 'plain' | 'json', private readonly what: string, private readonly everyMs = 5000) {}

  /** Every event goes out as JSON in --json mode; `text` is the plain line for it, if any. */
  event(e: object, text?: string): void {
    if (this.mode === 'json') this.io.out(JSON.stringify({ at: new Date().toISOString(), command: this.what, ...e }) + '\n');
    else if (this.mode === 'plain' && text) this.io.err(text + '\n');
  }

  setTotal(bytes: number): void {
    this.total = bytes;
  }

  /** Counts bytes done; in plain mode prints a progress line at most every few seconds. */
  advance(bytes: number): void {
    this.done += bytes;
    const now = performance.now();
    if (this.mode !== 'plain' || now - this.lastLine < this.everyMs) return;
    this.lastLine = now;
    const seconds = (now - this.started) / 1000;
    const rate = this.done / seconds;
    const left = this.total > this.done && rate > 0 ? ` , about ${Math.ceil((this.total - this.done) / rate)} s left` : '';
    const pct = this.total > 0 ? ` (${Math.min(100, Math.round((100 * this.done) / this.total))}%)` : '';
    this.io.err(`${this.what}: ${formatBytes(this.done)}${pct} in ${seconds.toFixed(0)} s, ${(rate / 1e6).toFixed(1)} MB/s${left}\n`);
  }
}

export function progressMode(args: { quiet?: boolean; json?: boolean }): 'quiet' | 'plain' | 'json' {
  return args.json ? 'json' : args.quiet ? 'quiet' : 'plain';
}

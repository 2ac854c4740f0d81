import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Io } from './output.js';
import { formatBytes } from './output.js';

export type ProgressMode = 'quiet' | 'plain' | 'json' | 'tty';

interface InFlight {
  readonly started: number;
  readonly total: number;
  done: number;
  rows: number;
  bar?: SingleBar;
}

/**
 * What a long command tells the user while it runs: nothing (--quiet), one JSON object per line (--json),
 * live bars on a terminal (the whole run and each table in flight, drawn by cli-progress), or, when stderr
 * is not a terminal, plain lines: each finished table, and every few seconds the bytes done, the rate and
 * the time left.
 */
export class Progress {
  private readonly started = performance.now();
  private lastLine = 0;
  private done = 0;
  private rows = 0;
  private total = 0;
  private readonly tables = new Map<string, InFlight>();
  private bars: MultiBar | undefined;
  private overall: SingleBar | undefined;

  constructor(private readonly io: Io, private readonly mode: ProgressMode, private readonly what: string, private readonly everyMs = 5000) {
    if (mode === 'tty' && io.errStream) {
      this.bars = new MultiBar({
        stream: io.errStream, hideCursor: true, clearOnComplete: false, stopOnComplete: false, fps: 8, etaBuffer: 40,
        format: '{name} |{bar}| {percentage}% {doneText} of ~{totalText}, {rowsText} rows, {rate} MB/s, {rowRate} rows/s, ETA {eta_formatted}',
        barsize: 24, autopadding: true,
      }, Presets.shades_grey);
    }
  }

  /** Every event goes out as JSON in --json mode; `text` is the line for a person, if any. */
  event(e: object, text?: string): void {
    if (this.mode === 'json') this.io.out(JSON.stringify({ at: new Date().toISOString(), command: this.what, ...e }) + '\n');
    else if (this.bars && text) this.bars.log(text + '\n');
    else if (this.mode !== 'quiet' && text) this.io.err(text + '\n');
  }

  setTotal(bytes: number): void {
    this.total = bytes;
    if (this.bars && !this.overall) this.overall = this.bars.create(Math.max(1, bytes), 0, this.payload(this.what.toUpperCase(), this.started, 0, bytes, 0));
  }

  /** A table (or a part of one) began; its bar shows until tableDone. */
  tableStart(table: string, estimatedBytes: number): void {
    if (this.tables.has(table)) return;
    const t: InFlight = { started: performance.now(), total: estimatedBytes, done: 0, rows: 0 };
    if (this.bars) t.bar = this.bars.create(Math.max(1, estimatedBytes), 0, this.payload(table, t.started, 0, estimatedBytes, 0));
    this.tables.set(table, t);
  }

  tableDone(table: string): void {
    const t = this.tables.get(table);
    if (t?.bar) this.bars?.remove(t.bar);
    this.tables.delete(table);
  }

  /** Counts bytes (and rows) done; updates the bars, or in plain mode prints a line at most every few seconds. */
  advance(bytes: number, table?: string, rows = 0): void {
    this.done += bytes;
    this.rows += rows;
    const t = table === undefined ? undefined : this.tables.get(table);
    if (t) {
      t.done += bytes;
      t.rows += rows;
    }
    if (this.bars) {
      if (t?.bar) t.bar.update(Math.min(t.done, Math.max(1, t.total)), this.payload(table ?? '', t.started, t.done, t.total, t.rows));
      this.overall?.update(Math.min(this.done, Math.max(1, this.total)), this.payload(this.what.toUpperCase(), this.started, this.done, this.total, this.rows));
      return;
    }
    const now = performance.now();
    if (this.mode !== 'plain' || now - this.lastLine < this.everyMs) return;
    this.lastLine = now;
    const seconds = (now - this.started) / 1000;
    const rate = this.done / seconds;
    const left = this.total > this.done && rate > 0 ? ` , about ${Math.ceil((this.total - this.done) / rate)} s left` : '';
    const pct = this.total > 0 ? ` (${Math.min(100, Math.round((100 * this.done) / this.total))}%)` : '';
    this.io.err(`${this.what}: ${formatBytes(this.done)}${pct} in ${seconds.toFixed(0)} s, ${(rate / 1e6).toFixed(1)} MB/s${left}\n`);
  }

  /** Takes the bars down (the last frame stays on the terminal); call before printing the summary. */
  stop(): void {
    if (this.overall) this.overall.update(Math.max(1, this.total), this.payload(this.what.toUpperCase(), this.started, this.done, this.done, this.rows));
    // cli-progress writes log lines only when it redraws, and stop() does not: one last redraw flushes them.
    this.bars?.update();
    this.bars?.stop();
    this.bars = undefined;
  }

  private payload(name: string, started: number, done: number, total: number, rows: number): Record<string, string> {
    const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
    return {
      name: name.length > 28 ? `…${name.slice(-27)}` : name.padEnd(28),
      doneText: formatBytes(done), totalText: formatBytes(Math.max(done, total)), rowsText: String(rows),
      rate: (done / 1e6 / seconds).toFixed(1), rowRate: String(Math.round(rows / seconds)),
    };
  }
}

export function progressMode(args: { quiet?: boolean; json?: boolean }, io: Io): ProgressMode {
  return args.json ? 'json' : args.quiet ? 'quiet' : io.errStream?.isTTY ? 'tty' : 'plain';
}

/** Runs the work with the bars up, and takes them down however it ends (before any summary or error is printed). */
export async function withBars<T>(progress: Progress, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    progress.stop();
  }
}

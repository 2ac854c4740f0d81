import { EVENTS_VERSION, type Io } from './output.js';
import { ProgressModel } from './progress-model.js';
import { plainLine, renderFrame } from './progress-render.js';

export type ProgressMode = 'quiet' | 'plain' | 'json' | 'tty';


export interface ProgressOptions {
  /** Milliseconds between plain lines and between --json progress events. */
  readonly everyMs?: number;
  /** Milliseconds between terminal redraws. */
  readonly frameMs?: number;
  readonly now?: () => number;
  /** Columns and rows of the terminal; read from the stream when not given. */
  readonly width?: number;
  readonly height?: number;
}

/**
 * What a long command tells the user while it runs: nothing (--quiet), one JSON object per line (--json, with
 * a progress event every few seconds), a live frame on a terminal (the run, then each table in flight, drawn
 * by renderFrame and redrawn in place), or plain lines when stderr is not a terminal or TERM=dumb. Log lines
 * are printed above the frame, which is erased first, so no remnant of a bar is left under them.
 */
export class Progress {
  readonly model: ProgressModel;
  private lastPeriodic: number;
  private drawn = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly everyMs: number;

  constructor(private readonly io: Io, private readonly mode: ProgressMode, what: 'dump' | 'load' | 'migrate', private readonly o: ProgressOptions = {}) {
    this.model = new ProgressModel(what, o.now);
    this.everyMs = o.everyMs ?? 5000;
    this.lastPeriodic = this.model.now();
    if (mode === 'tty') {
      this.timer = setInterval(() => this.tick(), o.frameMs ?? 125);
      this.timer.unref();
    }
  }

  /** Every event goes out as JSON in --json mode; `text` is the line for a person, if any. */
  event(e: object, text?: string): void {
    if (this.mode === 'json') this.io.out(JSON.stringify({ v: EVENTS_VERSION, at: new Date().toISOString(), command: this.model.what, ...e }) + '\n');
    else if (this.mode === 'tty' && text) {
      this.write(`${text}\n`);
      this.io.log?.(text);
    }
    else if (this.mode !== 'quiet' && text) this.io.err(text + '\n');
  }

  /** Call after changing the model: the terminal is redrawn on its next frame, a plain or JSON line goes out when due. */
  update(): void {
    this.dirty = true;
    if (this.mode === 'quiet' || (this.mode === 'tty' && !this.io.log)) return;
    const now = this.model.now();
    if (now - this.lastPeriodic < this.everyMs) return;
    this.lastPeriodic = now;
    if (this.mode === 'plain') this.io.err(plainLine(this.model) + '\n');
    else if (this.mode === 'json') this.event(this.snapshot());
    // On a terminal the frame shows it; the log file gets the plain line.
    else this.io.log?.(plainLine(this.model));
  }

  /** The figures of a --json progress event. */
  snapshot(): object {
    const sides = Object.fromEntries([...this.model.sides].filter(([, s]) => s.started).map(([name, s]) => [name, {
      bytesDone: s.kept + s.done, bytesTotal: s.total, totalExact: s.exact, rows: s.rows, tablesDone: s.tablesDone, tablesTotal: s.tablesTotal,
      bytesPerSecond: Math.round(s.rate() ?? 0), inFlight: [...s.tables.keys()],
    }]));
    const left = this.model.secondsLeft();
    return { type: 'progress', ...sides, ...(left !== undefined ? { dataSecondsLeft: Math.round(left) } : {}) };
  }

  /** Takes the frame down to its last state (left on the terminal); call before printing the summary. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === 'tty') {
      this.write('');
      this.io.err('\x1b[?25h');
    }
  }

  private tick(): void {
    if (this.dirty) this.write('');
  }

  /** Erases the frame, prints `above` (log lines), and draws the frame again below them. */
  private write(above: string): void {
    const width = this.o.width ?? this.io.errStream?.columns ?? 80;
    const height = this.o.height ?? this.io.errStream?.rows ?? 24;
    const lines = renderFrame(this.model, width, height);
    const erase = this.drawn > 0 ? `\r\x1b[${this.drawn}A\x1b[J` : '\x1b[?25l';
    this.io.err(erase + above + lines.join('\n') + '\n');
    this.drawn = lines.length;
    this.dirty = false;
  }
}

export function progressMode(args: { quiet?: boolean; json?: boolean }, io: Io, env: NodeJS.ProcessEnv = process.env): ProgressMode {
  return args.json ? 'json' : args.quiet ? 'quiet' : io.errStream?.isTTY && env.TERM !== 'dumb' ? 'tty' : 'plain';
}

/** Runs the work with the frame up, and takes it down however it ends (before any summary or error is printed). */
export async function withBars<T>(progress: Progress, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    progress.stop();
  }
}

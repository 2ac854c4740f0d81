/**
 * What a running dump, load or migrate has done, as numbers a display can trust: per side (the dump's
 * writing, the load's reading) the bytes of this run and those kept from an earlier one, the tables in
 * flight and finished, and denominators that become exact as tables finish. Pure: time comes from `now`.
 */
export type SideName = 'dump' | 'load';

export interface TableProgress {
  readonly label: string;
  readonly started: number;
  /** The table's bytes: an estimate (PostgreSQL's on-disk size) until `exact`. */
  total: number;
  exact: boolean;
  /** Bytes kept from an earlier run: counted done, not in the rate. */
  kept: number;
  done: number;
  rows: number;
}

export class Side {
  total = 0;
  exact = false;
  kept = 0;
  done = 0;
  rows = 0;
  tablesTotal = 0;
  tablesDone = 0;
  /** When this run's work on this side began: the rate counts from here. */
  startedAt: number | undefined;
  started = false;
  readonly tables = new Map<string, TableProgress>();
  /** Per-table estimates the start gave, for tables whose bars have not opened yet. */
  private readonly planned = new Map<string, { total: number; exact: boolean; kept: number }>();


  constructor(readonly name: SideName, private readonly now: () => number) {}

  /** The run begins (once): every table's size (estimated or exact) and what an earlier run already did. */
  start(tables: ReadonlyArray<{ table: string; bytes: number; exact: boolean; kept?: number; done?: boolean }>): void {
    if (this.started) return;
    this.started = true;
    this.startedAt = this.now();
    this.tablesTotal = tables.length;
    for (const t of tables) {
      this.total += t.bytes;
      this.kept += t.kept ?? 0;
      if (t.done) this.tablesDone++;
      else this.planned.set(t.table, { total: t.bytes, exact: t.exact, kept: t.kept ?? 0 });
    }
    this.exact = tables.every((t) => t.exact || t.done);
  }

  tableStart(table: string, label = table): void {
    if (this.tables.has(table)) return;
    const p = this.planned.get(table) ?? { total: 0, exact: false, kept: 0 };
    // From here the bar holds the table's figures: one place for them, not two.
    this.planned.delete(table);
    this.tables.set(table, { label, started: this.now(), total: p.total, exact: p.exact, kept: p.kept, done: 0, rows: 0 });
  }

  advance(table: string, bytes: number, rows = 0): void {
    this.done += bytes;
    this.rows += rows;
    const t = this.tables.get(table);
    if (t) {
      t.done += bytes;
      t.rows += rows;
    }
  }

  /** The table's size became known exactly (its dump finished): the bar and the run's total take it. */
  resize(table: string, bytes: number): void {
    const t = this.tables.get(table) ?? this.planned.get(table);
    if (!t) return;
    this.total += bytes - t.total;
    t.total = bytes;
    t.exact = true;
  }

  /** Bytes an earlier run already moved (a chunk the load's journal holds): done, but not in the rate. */
  keep(table: string, bytes: number): void {
    const t = this.tables.get(table) ?? this.planned.get(table);
    if (t) t.kept += bytes;
    this.kept += bytes;
  }

  /** Rows that became final (a load's committed chunk) without bytes of their own. */
  addRows(table: string, rows: number): void {
    this.advance(table, 0, rows);
  }

  /** The table is finished: its bar goes, and the run's denominator takes what it really moved instead of the estimate. */
  tableDone(table: string): void {
    const t = this.tables.get(table) ?? this.planned.get(table);
    if (t) this.total += t.kept + ((t as Partial<TableProgress>).done ?? 0) - t.total;
    this.tables.delete(table);
    this.planned.delete(table);
    this.tablesDone++;
    if (this.planned.size === 0 && this.tables.size === 0) this.exact = true;
  }

  /** Bytes per second moved by this run since its start (kept bytes excluded); undefined in its first second. */
  rate(): number | undefined {
    if (this.startedAt === undefined) return undefined;
    const seconds = (this.now() - this.startedAt) / 1000;
    return seconds >= 1 && this.done > 0 ? this.done / seconds : undefined;
  }

  /** Seconds left for the data, from this run's rate; undefined when not known (no rate, or past an estimate). */
  secondsLeft(): number | undefined {
    const rate = this.rate();
    const left = this.total - this.kept - this.done;
    if (rate === undefined || left < 0) return undefined;
    return left / rate;
  }

  /** Done as a fraction of the total; below 1 until every table is done, whatever the estimates said. */
  fraction(): number {
    const finished = this.started && this.tablesDone >= this.tablesTotal && this.tables.size === 0;
    if (finished) return 1;
    if (this.total <= 0) return 0;
    return Math.min(0.99, (this.kept + this.done) / this.total);
  }
}

/** A whole run: one side (dump or load) or both (migrate), and the post-data steps after the load's data. */
export class ProgressModel {
  readonly sides = new Map<SideName, Side>();
  /** Post-data steps (indexes, keys, AUTO_INCREMENT) added, and how many there are once the load says. */
  postDataSteps = 0;
  postDataTotal: number | undefined;
  readonly startedAt: number;

  constructor(readonly what: 'dump' | 'load' | 'migrate', readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
    if (what !== 'load') this.sides.set('dump', new Side('dump', now));
    if (what !== 'dump') this.sides.set('load', new Side('load', now));
  }

  side(name: SideName): Side {
    const s = this.sides.get(name);
    if (!s) throw new Error(`no ${name} side in a ${this.what}`);
    return s;
  }

  /** Seconds until the data is all in: the slower side's (a migrate's load cannot finish before its dump). */
  secondsLeft(): number | undefined {
    const d = this.sides.get('dump');
    const l = this.sides.get('load');
    if (this.what === 'migrate' && d && l && d.started && l.started) {
      const dumpLeft = d.fraction() >= 1 ? 0 : d.secondsLeft();
      // Until its start, the load's work is the dump's: what the dump will write, less what was loaded.
      const loadRate = l.rate();
      const loadLeft = loadRate === undefined ? undefined : Math.max(0, (Math.max(d.total, l.total) - l.kept - l.done) / loadRate);
      if (l.fraction() >= 1) return 0;
      return dumpLeft === undefined || loadLeft === undefined ? undefined : Math.max(dumpLeft, loadLeft);
    }
    return (l?.started ? l : d)?.secondsLeft();
  }
}

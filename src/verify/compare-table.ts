import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MyConnection } from '../target/mysql/connect.js';
import type { PgClient } from '../source/postgres/connect.js';
import { quoteMy, tableMy } from '../target/mysql/quote.js';
import { copyOut } from '../source/postgres/copy-out.js';
import { quotePg } from '../source/postgres/quote.js';
import { copyOutSql, fromSql } from '../source/postgres/sql.js';
import type { TargetTable } from '../model/target.js';
import { compareKey, normalForm, sameValue } from './canonical.js';
import { canonFor, type ColumnCanon } from '../mapping/compare-form.js';
import { CopyRowParser } from '../tsv/copy-text.js';

type Row = Array<string | null>;

export interface Difference {
  readonly kind: 'missing-in-target' | 'extra-in-target' | 'different' | 'table-missing-in-target';
  readonly key?: Record<string, string | null>;
  readonly column?: string;
  readonly source?: string | null;
  readonly target?: string | null;
}

export interface TableVerdict {
  readonly table: string;
  readonly method: 'ordered by primary key' | 'row hashes (no primary key)' | 'not compared: no such table in the target';
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly match: boolean;
  readonly differenceCount: number;
  readonly differences: readonly Difference[];
  readonly seconds: number;
  /**
   * Values MySQL cannot hold that --on-unrepresentable=null wrote as NULL, by column: they compare equal
   * to NULL because the policy said so, and are counted here so that no change goes unsaid.
   */
  readonly nulledByPolicy?: ReadonlyArray<{ readonly column: string; readonly rows: number }>;
}

export interface CompareOptions {
  readonly partitioned: boolean;
  readonly maxDiffs: number;
  /** --data-only: the columns to compare and how, and the target table's own name. */
  readonly override?: { readonly columns: readonly ColumnCanon[]; readonly key: readonly number[]; readonly targetName: string };
}

/**
 * Compares one table between the servers in bounded memory. With a primary key both sides stream in key
 * order and are merged, so each difference is located by its key; without one, each side's rows are hashed
 * and the hashes summed (a multiset checksum), which proves equality but cannot point at a row.
 */
export async function compareTable(pg: PgClient, my: MyConnection, t: TargetTable, o: CompareOptions): Promise<TableVerdict> {
  const started = performance.now();
  const canon = o.override ? [...o.override.columns] : t.columns.map(canonFor);
  const keyIdx = o.override ? [...o.override.key] : (t.primaryKey ?? []).map((k) => t.columns.findIndex((c) => c.name === k));
  const ordered = keyIdx.length > 0 && keyIdx.every((i) => i >= 0);
  // Keys are qualified: a bare name in ORDER BY would mean the output column, which is the rendered text.
  const pgSql = copyOutSql({
    select: canon.map((c) => c.pg), from: { schema: t.sourceSchema, name: t.sourceName, partitioned: o.partitioned }, alias: 'src',
    ...(ordered ? { orderBy: keyIdx.map((i) => pgOrderExpr(canon[i] as ColumnCanon)) } : {}),
  });
  const myOrder = ordered ? ` ORDER BY ${keyIdx.map((i) => myOrderExpr(canon[i] as ColumnCanon)).join(', ')}` : '';
  const pgRows = copyOut(pg, pgSql, new CopyRowParser());
  await my.query('SET SESSION max_sort_length = 8388608');
  const myRows = myStream(my, `SELECT ${canon.map((c) => c.my).join(', ')} FROM ${tableMy(o.override ? { name: o.override.targetName } : t)} AS src${myOrder}`);
  const result = ordered
    ? await mergeCompare(pgRows, myRows, canon, keyIdx, o.maxDiffs)
    : await hashCompare(pgRows, myRows, canon);
  const nulled = await nulledByPolicy(pg, t, o.partitioned);
  return {
    table: o.override?.targetName ?? t.name, method: ordered ? 'ordered by primary key' : 'row hashes (no primary key)', ...result,
    match: result.differenceCount === 0 && result.sourceRows === result.targetRows,
    seconds: (performance.now() - started) / 1000, ...(nulled.length > 0 ? { nulledByPolicy: nulled } : {}),
  };
}

/** How many values of each column the NULL policy changed, counted in the source. */
async function nulledByPolicy(pg: PgClient, t: TargetTable, partitioned: boolean): Promise<Array<{ column: string; rows: number }>> {
  const cols = t.columns.filter((c) => c.nullWhen !== undefined);
  if (cols.length === 0) return [];
  const from = fromSql({ schema: t.sourceSchema, name: t.sourceName, partitioned });
  const r = await pg.query<Record<string, string>>(`SELECT ${cols.map((c, i) => `count(*) FILTER (WHERE ${c.nullWhen}) AS c${i}`).join(', ')} FROM ${from}`);
  return cols.map((c, i) => ({ column: c.name, rows: Number(r.rows[0]?.[`c${i}`] ?? 0) })).filter((x) => x.rows > 0);
}

/** The verdict on a table the target does not have: every source row is missing. */
export async function missingTableVerdict(pg: PgClient, t: TargetTable, partitioned: boolean, name: string): Promise<TableVerdict> {
  const r = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM ${fromSql({ schema: t.sourceSchema, name: t.sourceName, partitioned })}`);
  const sourceRows = Number(r.rows[0]?.n ?? 0);
  return {
    table: name, method: 'not compared: no such table in the target', sourceRows, targetRows: 0, match: false,
    differenceCount: 1, differences: [{ kind: 'table-missing-in-target' }], seconds: 0,
  };
}

/** Text keys sort by bytes whatever the column's collation (a framework's may ignore case); others natively. */
function myOrderExpr(c: ColumnCanon): string {
  return c.order === 'bytes' ? `CAST((${c.my}) AS BINARY)` : `src.${quoteMy(c.myColumn ?? c.name)}`;
}

function pgOrderExpr(c: ColumnCanon): string {
  // Text keys sort by bytes, as MySQL's binary collation does; other keys by their own type.
  return c.order === 'bytes' ? `(${c.pg}) COLLATE "C"` : `src.${quotePg(c.name)}`;
}

function myStream(my: MyConnection, sql: string): Readable {
  // The promise wrapper has no streaming; the callback connection underneath does, with backpressure.
  const raw = (my as unknown as { connection: { query(o: object): { stream(o: object): Readable } } }).connection;
  // JSON stays text: connectMy sets jsonStrings.
  return raw.query({ sql, rowsAsArray: true }).stream({ highWaterMark: 256 });
}

interface Tally { sourceRows: number; targetRows: number; differenceCount: number; differences: Difference[] }

async function mergeCompare(pgRows: Readable, myRows: Readable, canon: readonly ColumnCanon[], keyIdx: readonly number[], maxDiffs: number): Promise<Tally> {
  const tally: Tally = { sourceRows: 0, targetRows: 0, differenceCount: 0, differences: [] };
  const note = (d: Difference) => {
    tally.differenceCount++;
    if (tally.differences.length < maxDiffs) tally.differences.push(d);
  };
  const keyOf = (r: Row) => Object.fromEntries(keyIdx.map((i) => [(canon[i] as ColumnCanon).name, r[i] ?? null]));
  const a = pgRows[Symbol.asyncIterator]();
  const b = myRows[Symbol.asyncIterator]();
  const bText = (v: unknown, i: number) => toText(v, canon[i]?.myForm);
  let x = await nextRow(a, () => tally.sourceRows++);
  let y = await nextRow(b, () => tally.targetRows++, bText);
  while (x || y) {
    let c = 0;
    if (!x) c = 1;
    else if (!y) c = -1;
    else for (const i of keyIdx) if ((c = compareKey((canon[i] as ColumnCanon).order, x[i] ?? null, y[i] ?? null)) !== 0) break;
    if (c < 0 && x) {
      note({ kind: 'missing-in-target', key: keyOf(x) });
      x = await nextRow(a, () => tally.sourceRows++);
    } else if (c > 0 && y) {
      note({ kind: 'extra-in-target', key: keyOf(y) });
      y = await nextRow(b, () => tally.targetRows++, bText);
    } else if (x && y) {
      for (let i = 0; i < canon.length; i++) {
        const col = canon[i] as ColumnCanon;
        if (!sameValue(col.compare, x[i] ?? null, y[i] ?? null)) {
          note({ kind: 'different', key: keyOf(x), column: col.name, source: x[i] ?? null, target: y[i] ?? null });
        }
      }
      x = await nextRow(a, () => tally.sourceRows++);
      y = await nextRow(b, () => tally.targetRows++, bText);
    }
  }
  return tally;
}

async function hashCompare(pgRows: Readable, myRows: Readable, canon: readonly ColumnCanon[]): Promise<Tally> {
  const sum = async (rows: Readable, mySide: boolean): Promise<{ n: number; total: bigint }> => {
    let n = 0;
    let total = 0n;
    for await (const r of rows as AsyncIterable<unknown[]>) {
      n++;
      const text = canon.map((c, i) => normalForm(c.compare, toText(r[i], mySide ? c.myForm : undefined)).replace(/\\/g, '\\\\').replace(/\t/g, '\\t')).join('\t');
      total = (total + BigInt('0x' + createHash('sha256').update(text).digest('hex'))) % (1n << 256n);
    }
    return { n, total };
  };
  const [s, t] = await Promise.all([sum(pgRows, false), sum(myRows, true)]);
  const same = s.total === t.total && s.n === t.n;
  return {
    sourceRows: s.n, targetRows: t.n, differenceCount: same ? 0 : 1,
    differences: same ? [] : [{ kind: 'different', source: `${s.n} rows, checksum ${s.total.toString(16).slice(0, 16)}…`, target: `${t.n} rows, checksum ${t.total.toString(16).slice(0, 16)}…` }],
  };
}

async function nextRow(it: AsyncIterator<unknown>, count: () => void, text: (v: unknown, i: number) => string | null = (v) => toText(v)): Promise<Row | undefined> {
  const r = await it.next();
  if (r.done) return undefined;
  count();
  return (r.value as unknown[]).map(text);
}

function toText(v: unknown, form?: ColumnCanon['myForm']): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString(form === 'hex' ? 'hex' : 'utf8');
  // mysql2 gives strings here (dateStrings, bigNumberStrings, every column cast to CHAR); numbers for the few it parses itself.
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

import type { Catalog, Table } from '../model/catalog.js';
import { qualifiedName } from '../model/catalog.js';
import { pgQueryError, type PgClient } from '../source/postgres/connect.js';
import { literalPg, quotePg, quotePgQualified } from '../source/postgres/quote.js';
import { fromSql } from '../source/postgres/sql.js';
import { fill, scanNeeds, type ColumnScan, type ScanResult } from '../mapping/scan-model.js';
import type { ColumnStats, ValueCheck } from '../mapping/type-rules.js';
import { needsLength, wholeKeys } from '../mapping/key-fit.js';
import { needsRailsLength, type Conventions } from '../mapping/conventions.js';

interface Probe {
  readonly column: string;
  readonly check?: ValueCheck;
  readonly alias: string;
  readonly sql: string;
}

/** A table at least this large is scanned in ranges, one per session, when there are enough sessions (splitsScan). */
export const SPLIT_SCAN_BYTES = 64 << 20;

/**
 * A key range is read through the primary key's index, which costs PostgreSQL some twice a sequential scan's
 * time per row (PostgreSQL 15, a 1.5 M-row table in key order: the scan's query over half the keys 375-400 ms,
 * over the whole table by a sequential scan 230-330 ms). So a table is split by keys only across three
 * sessions or more, where the ranges finish sooner.
 */
export const MIN_SPLIT_SESSIONS = 3;

/**
 * From PostgreSQL 14 on, a range of the heap's pages is read by a TID Range Scan: sequentially, without an
 * index (count(*) of the first half of that table's pages 97-117 ms, of the whole table 217-256 ms). An
 * ordinary table is split by pages from two sessions on.
 */
export const TID_RANGE_SCAN_VERSION = 140000;

/** Whether a table of `bytes` is scanned in ranges, one per session: by pages (`byPages`) or by keys. */
export function splitsScan(sessions: number, bytes: number, splitBytes = SPLIT_SCAN_BYTES, byPages = false): boolean {
  return sessions >= (byPages ? 2 : MIN_SPLIT_SESSIONS) && bytes >= splitBytes;
}

export interface ScanOptions {
  readonly onTable?: (table: string) => void;
  readonly conventions?: Conventions;
  /** Tables from this size up are split by key ranges across the sessions when there are enough (64 MiB). */
  readonly splitBytes?: number;
  /**
   * Leave the value checks to the dump's COPY (value-guard.ts): only tables with a size to measure or rows
   * to count are read here.
   */
  readonly deferChecks?: boolean;
}

interface ScanJob {
  readonly t: Table;
  readonly probes: readonly Probe[];
  /** A key range of the table, or the whole table. */
  readonly where?: string;
  readonly bytes: number;
}

type AggregateRow = Record<string, string | number | null>;

/**
 * Looks through the source's data, in the caller's snapshot, for values MySQL cannot hold and for the sizes
 * that decide a type (numeric without precision): one pass over each table that needs it, then one
 * look-up per kind of bad value to name the first row that has it. Given several sessions of one snapshot,
 * they share the tables, largest first, and split each large table by key ranges.
 */
export async function scanSource(
  clients: PgClient | readonly PgClient[], catalog: Catalog, options: ScanOptions = {},
): Promise<{ columns: ScanResult; rows: ReadonlyMap<string, number> }> {
  const { onTable, conventions, splitBytes = SPLIT_SCAN_BYTES } = options;
  const version = catalog.server.versionNum;
  const scanned = (probes: Probe[]): Probe[] => (options.deferChecks ? probes.filter((p) => !p.check) : probes);
  const sessions: readonly PgClient[] = Array.isArray(clients) ? clients : [clients as PgClient];
  const main = sessions[0] as PgClient;
  const jobs: ScanJob[] = [];
  for (const t of catalog.tables) {
    const probes = scanned(probesFor(t, conventions, version));
    // A table never analysed has no estimate: count it, so that plan and progress have a figure.
    if (probes.length === 0 && !t.rowsUnknown) continue;
    // Page ranges hold within one snapshot, which every session of the scan shares.
    const byPages = version >= TID_RANGE_SCAN_VERSION && t.kind === 'table';
    const ranges = probes.length > 0 && splitsScan(sessions.length, t.estimatedBytes, splitBytes, byPages)
      ? await (byPages ? pageRanges(main, t, sessions.length) : keyRanges(main, t, sessions.length)) : [undefined];
    for (const where of ranges) jobs.push({ t, probes, bytes: t.estimatedBytes / ranges.length, ...(where ? { where } : {}) });
  }
  const found = await runJobs(sessions, jobs.sort((a, b) => b.bytes - a.bytes), onTable);

  const result = new Map<string, Map<string, ColumnScan>>();
  const counted = new Map<string, number>();
  for (const t of catalog.tables) {
    const parts = found.get(qualifiedName(t));
    if (!parts) continue;
    const probes = scanned(probesFor(t, conventions, version));
    const row = combine(parts, probes);
    counted.set(qualifiedName(t), Number(row.rows));
    if (probes.length === 0) continue;
    const from = fromSql({ schema: t.schema, name: t.name, partitioned: t.kind === 'partitioned' });
    const columns = new Map<string, ColumnScan>();
    for (const name of new Set(probes.map((p) => p.column))) {
      const mine = probes.filter((p) => p.column === name);
      const failures = [];
      for (const p of mine.filter((x) => x.check)) {
        const rows = Number(row[p.alias] ?? 0);
        const check = p.check as ValueCheck;
        failures.push({ check, rows, ...(rows > 0 ? { example: await firstRow(main, t, from, fill(check.predicate, quotePg(name))) } : {}) });
      }
      const num = (alias: string): number | null | undefined => {
        if (!mine.some((p) => p.alias === alias)) return undefined;
        const v = row[alias];
        return v === null || v === undefined ? null : Number(v);
      };
      const stats: ColumnStats | undefined = mine.some((p) => !p.check)
        ? { rows: Number(row.rows), maxIntDigits: num(`${name}:int`), maxScale: num(`${name}:scale`), maxLength: num(`${name}:len`) }
        : undefined;
      columns.set(name, { failures, ...(stats ? { stats } : {}) });
    }
    result.set(qualifiedName(t), columns);
  }
  return { columns: result, rows: counted };
}

/** Runs the scan's queries on every session; the first failure stops the others after their query in flight. */
async function runJobs(sessions: readonly PgClient[], jobs: ScanJob[], onTable?: (table: string) => void): Promise<Map<string, AggregateRow[]>> {
  const found = new Map<string, AggregateRow[]>();
  const started = new Set<string>();
  let failed: Error | undefined;
  await Promise.all(sessions.map(async (client) => {
    for (let job = jobs.shift(); job && failed === undefined; job = jobs.shift()) {
      const name = qualifiedName(job.t);
      if (!started.has(name)) onTable?.(name);
      started.add(name);
      const from = fromSql({ schema: job.t.schema, name: job.t.name, partitioned: job.t.kind === 'partitioned' });
      const select = ['count(*) AS "rows"', ...job.probes.map((p) => `${p.sql} AS ${quotePg(p.alias)}`)].join(', ');
      try {
        const r = await client.query(`SELECT ${select} FROM ${from}${job.where ? ` WHERE ${job.where}` : ''}`);
        found.set(name, [...(found.get(name) ?? []), r.rows[0] as AggregateRow]);
      } catch (err) {
        failed ??= pgQueryError(err, `scanning ${name} for values MySQL cannot hold`, { table: name });
      }
    }
  }));
  if (failed !== undefined) throw failed;
  return found;
}

/** The figures of a table scanned in key ranges: counts add up, the largest of the maxima. */
export function combine(parts: readonly AggregateRow[], probes: readonly Probe[]): AggregateRow {
  if (parts.length === 1) return parts[0] as AggregateRow;
  const out: AggregateRow = { rows: parts.reduce((n, p) => n + Number(p.rows), 0) };
  for (const p of probes) {
    const values = parts.map((x) => x[p.alias]).filter((v): v is string | number => v !== null && v !== undefined).map(Number);
    out[p.alias] = p.check ? values.reduce((n, v) => n + v, 0) : values.length > 0 ? Math.max(...values) : null;
  }
  return out;
}

/**
 * `n` ranges of the table's heap pages, as many pages each: the first open below, the last open above, so
 * that every row is in exactly one (pages added after the snapshot hold no row it sees).
 */
async function pageRanges(client: PgClient, t: Table, n: number): Promise<Array<string | undefined>> {
  const table = literalPg(quotePgQualified(t.schema, t.name));
  const r = await client.query<{ pages: string }>(`SELECT (pg_relation_size(${table}::regclass) / current_setting('block_size')::int8)::text AS pages`);
  const pages = BigInt(r.rows[0]?.pages ?? '0');
  if (pages < BigInt(n)) return [undefined];
  const bounds = Array.from({ length: n - 1 }, (_, i) => (pages * BigInt(i + 1)) / BigInt(n));
  return [...bounds, undefined].map((b, i) => [i > 0 ? `ctid >= '(${String(bounds[i - 1])},0)'` : '', b !== undefined ? `ctid < '(${String(b)},0)'` : ''].filter(Boolean).join(' AND '));
}

/** `n` key ranges of equal width over a single-column integer primary key; the whole table otherwise. */
async function keyRanges(client: PgClient, t: Table, n: number): Promise<Array<string | undefined>> {
  const key = t.primaryKey?.columns ?? [];
  const column = key.length === 1 ? t.columns.find((c) => c.name === key[0]) : undefined;
  if (!column || !['int2', 'int4', 'int8'].includes(column.type.name) || column.type.kind !== 'base') return [undefined];
  const q = quotePg(column.name);
  const from = fromSql({ schema: t.schema, name: t.name, partitioned: t.kind === 'partitioned' });
  const r = await client.query<{ lo: string | null; hi: string | null }>(`SELECT min(${q})::text AS lo, max(${q})::text AS hi FROM ${from}`);
  const { lo, hi } = r.rows[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null) return [undefined];
  const low = BigInt(lo);
  const step = (BigInt(hi) - low) / BigInt(n) + 1n;
  const bounds = Array.from({ length: n - 1 }, (_, i) => low + step * BigInt(i + 1));
  return [...bounds, undefined].map((b, i) => [i > 0 ? `${q} >= ${String(bounds[i - 1])}` : '', b !== undefined ? `${q} < ${String(b)}` : ''].filter(Boolean).join(' AND '));
}

function probesFor(t: Table, conventions: Conventions | undefined, serverVersionNum: number): Probe[] {
  const probes: Probe[] = [];
  const keyed = new Set(wholeKeys(t).flat());
  for (const c of t.columns) {
    const q = quotePg(c.name);
    const needs = scanNeeds(c.type, serverVersionNum, conventions);
    needs.checks.forEach((check, i) => {
      probes.push({ column: c.name, check, alias: `${c.name}:${i}`, sql: `count(*) FILTER (WHERE ${fill(check.predicate, q)})` });
    });
    if (needs.stats) {
      probes.push({ column: c.name, alias: `${c.name}:int`, sql: integerDigits(q, serverVersionNum) });
      // scale() of NaN and of the infinities is NULL.
      probes.push({ column: c.name, alias: `${c.name}:scale`, sql: `max(scale(${q}))` });
    }
    if (needsLength(c, keyed) || needsRailsLength(c.type, conventions)) {
      probes.push({ column: c.name, alias: `${c.name}:len`, sql: `max(${c.type.name === 'bytea' ? 'octet_length' : 'char_length'}(${q}))` });
    }
  }
  return probes;
}

/**
 * The most digits before the point of a numeric column's finite values: those of the largest and of the
 * smallest finite value, which only compares values (NaN sorts above the infinities, which sort above every
 * number); turning each value into text to count its digits took twice as long. Infinities exist from
 * PostgreSQL 14 on.
 */
function integerDigits(q: string, serverVersionNum: number): string {
  const infinities = serverVersionNum >= 140000;
  const hi = `max(${q}) FILTER (WHERE ${q} < '${infinities ? 'Infinity' : 'NaN'}')`;
  const lo = infinities ? `min(${q}) FILTER (WHERE ${q} > '-Infinity')` : `min(${q})`;
  const finite = (m: string) => (infinities ? `${m} > '-Infinity' AND ${m} < 'Infinity'` : `${m} <> 'NaN'`);
  const digits = (m: string) => `CASE WHEN ${finite(m)} THEN length(trunc(abs(${m}))::text) END`;
  return `GREATEST(${digits(hi)}, ${digits(lo)})`;
}

/** The first offending row, by primary key when there is one (else its physical position, ctid). */
async function firstRow(client: PgClient, t: Table, from: string, predicate: string): Promise<string> {
  const key = t.primaryKey?.columns ?? [];
  const select = key.length > 0 ? key.map((k) => `${quotePg(k)}::text`).join(', ') : 'ctid::text';
  const r = await client.query({ text: `SELECT ${select} FROM ${from} WHERE ${predicate} LIMIT 1`, rowMode: 'array' });
  const values = (r.rows[0] as unknown[] | undefined) ?? [];
  return key.length > 0 ? key.map((k, i) => `${k}=${String(values[i])}`).join(', ') : `ctid ${String(values[0])}`;
}

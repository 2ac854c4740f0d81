import type { Table } from '../../model/catalog.js';
import { pgQueryError, type PgClient } from './connect.js';
import { quotePg, quotePgQualified } from './quote.js';
import { fromSql } from './sql.js';
import type { TargetTable } from '../../model/target.js';

/**
 * A large table is dumped in parts, dumped in parallel under the one snapshot: part 0 holds rows below
 * bounds[0], part i rows from bounds[i-1] up to bounds[i], the last part rows from the last bound up, so the
 * parts cover every row whatever the data.
 *
 * With a single integer primary key the ranges are of that key, and each part is kept or redone as a whole
 * when a dump is resumed: key ranges are disjoint in any snapshot, so a part redone from a later snapshot
 * can never repeat a row of a part kept from an earlier one. Any other table (no key, a composite, uuid or
 * text key) is split by heap page ranges (ctid, read by a TID range scan, PostgreSQL 14+). Page ranges hold
 * only within one snapshot (an updated row moves to another page), so such a table is redone whole when a
 * dump is resumed.
 */
export interface Split {
  /** The key column, or `ctid`. */
  readonly column: string;
  readonly bounds: readonly string[];
  /** Absent for key ranges (dumps written before ctid splits have none). */
  readonly kind?: 'ctid' | undefined;
}

const INTEGER_RULES = new Set(['smallint', 'integer', 'bigint']);
const MAX_PARTS = 1024;

export async function planSplit(client: PgClient, t: TargetTable, source: Table, chunkSize: number, serverVersionNum: number): Promise<Split | undefined> {
  const parts = Math.min(MAX_PARTS, Math.ceil(source.estimatedBytes / chunkSize));
  if (parts < 2) return undefined;
  const key = t.primaryKey?.length === 1 ? t.columns.find((c) => c.name === t.primaryKey?.[0]) : undefined;
  if (!key || !INTEGER_RULES.has(key.rule.kind) || key.rule.transform !== 'native') {
    // Before PostgreSQL 14 a ctid range is a sequential scan: each part would read the whole table.
    // A partitioned table's pages are its partitions': one table's page count says nothing of them.
    return serverVersionNum >= 140000 && source.kind !== 'partitioned' ? ctidSplit(client, t, parts) : undefined;
  }
  const q = quotePg(key.name);
  try {
    // Equal-depth bounds from the planner's histogram when the table was analysed; else equal-width ones.
    const h = await client.query<{ b: string[] | null }>(
      'SELECT histogram_bounds::text::text[] AS b FROM pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = $3',
      [t.sourceSchema, t.sourceName, key.name]);
    const histogram = h.rows[0]?.b;
    if (histogram && histogram.length >= 3) {
      const picks = Array.from({ length: Math.min(parts, histogram.length - 1) - 1 }, (_, i) =>
        histogram[Math.round(((i + 1) * (histogram.length - 1)) / Math.min(parts, histogram.length - 1))] as string);
      return { column: key.name, bounds: increasing(picks) };
    }
    const from = fromSql({ schema: t.sourceSchema, name: t.sourceName, partitioned: source.kind === 'partitioned' });
    const r = await client.query<{ lo: string | null; hi: string | null }>(`SELECT min(${q})::text AS lo, max(${q})::text AS hi FROM ${from}`);
    const lo = r.rows[0]?.lo;
    const hi = r.rows[0]?.hi;
    if (lo == null || hi == null) return undefined;
    const span = BigInt(hi) - BigInt(lo) + 1n;
    const bounds = Array.from({ length: parts - 1 }, (_, i) => (BigInt(lo) + (span * BigInt(i + 1)) / BigInt(parts)).toString());
    return { column: key.name, bounds: increasing(bounds) };
  } catch (err) {
    throw pgQueryError(err, `choosing key ranges for ${t.sourceSchema}.${t.sourceName}`, { table: `${t.sourceSchema}.${t.sourceName}` });
  }
}

/** Equal page ranges over the table's pages as they are now; rows on pages added later fall in the last part. */
async function ctidSplit(client: PgClient, t: TargetTable, parts: number): Promise<Split | undefined> {
  try {
    const r = await client.query<{ pages: string }>(
      "SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::text AS pages",
      [quotePgQualified(t.sourceSchema, t.sourceName)]);
    const pages = BigInt(r.rows[0]?.pages ?? '0');
    if (pages < 2n) return undefined;
    const n = BigInt(Math.min(parts, Number(pages)));
    const bounds = Array.from({ length: Number(n) - 1 }, (_, i) => ((pages * BigInt(i + 1)) / n).toString());
    return { column: 'ctid', bounds: increasing(bounds), kind: 'ctid' };
  } catch (err) {
    throw pgQueryError(err, `choosing page ranges for ${t.sourceSchema}.${t.sourceName}`, { table: `${t.sourceSchema}.${t.sourceName}` });
  }
}

function increasing(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) if (out.length === 0 || BigInt(v) > BigInt(out[out.length - 1] as string)) out.push(v);
  return out;
}

export function partCount(split: Split): number {
  return split.bounds.length + 1;
}

/** The WHERE condition of part `i` (bounds are integers, checked before they are written into SQL). */
export function partWhere(split: Split, i: number): string {
  const q = split.kind === 'ctid' ? 'ctid' : quotePg(split.column);
  const lit = (v: string | undefined) => (split.kind === 'ctid' ? `'(${BigInt(v as string)},0)'::tid` : BigInt(v as string).toString());
  const lower = i > 0 ? `${q} >= ${lit(split.bounds[i - 1])}` : '';
  const upper = i < split.bounds.length ? `${q} < ${lit(split.bounds[i])}` : '';
  return [lower, upper].filter(Boolean).join(' AND ');
}

export function partPrefix(i: number): string {
  return `p${String(i + 1).padStart(4, '0')}-`;
}

import type { Catalog, Table } from '../model/catalog.js';
import { qualifiedName } from '../model/catalog.js';
import { pgQueryError, type PgClient } from '../source/postgres/connect.js';
import { quotePg } from '../source/postgres/quote.js';
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

/**
 * Looks through the source's data, in the caller's snapshot, for values MySQL cannot hold and for the sizes
 * that decide a type (numeric without precision): one pass over each table that needs it, then one
 * look-up per kind of bad value to name the first row that has it.
 */
export async function scanSource(
  client: PgClient, catalog: Catalog, onTable?: (table: string) => void, conventions?: Conventions,
): Promise<{ columns: ScanResult; rows: ReadonlyMap<string, number> }> {
  const result = new Map<string, Map<string, ColumnScan>>();
  const counted = new Map<string, number>();
  for (const t of catalog.tables) {
    const probes = probesFor(t, conventions);
    // A table never analysed has no estimate: count it, so that plan and progress have a figure.
    if (probes.length === 0 && !t.rowsUnknown) continue;
    onTable?.(qualifiedName(t));
    const from = fromSql({ schema: t.schema, name: t.name, partitioned: t.kind === 'partitioned' });
    let row: Record<string, string | number | null>;
    try {
      const r = await client.query(`SELECT ${['count(*) AS "rows"', ...probes.map((p) => `${p.sql} AS ${quotePg(p.alias)}`)].join(', ')} FROM ${from}`);
      row = r.rows[0] as Record<string, string | number | null>;
    } catch (err) {
      throw pgQueryError(err, `scanning ${qualifiedName(t)} for values MySQL cannot hold`, { table: qualifiedName(t) });
    }
    counted.set(qualifiedName(t), Number(row.rows));
    if (probes.length === 0) continue;
    const columns = new Map<string, ColumnScan>();
    for (const name of new Set(probes.map((p) => p.column))) {
      const mine = probes.filter((p) => p.column === name);
      const failures = [];
      for (const p of mine.filter((x) => x.check)) {
        const rows = Number(row[p.alias] ?? 0);
        const check = p.check as ValueCheck;
        failures.push({ check, rows, ...(rows > 0 ? { example: await firstRow(client, t, from, fill(check.predicate, quotePg(name))) } : {}) });
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

function probesFor(t: Table, conventions: Conventions | undefined): Probe[] {
  const probes: Probe[] = [];
  const keyed = new Set(wholeKeys(t).flat());
  for (const c of t.columns) {
    const q = quotePg(c.name);
    const needs = scanNeeds(c.type, conventions);
    needs.checks.forEach((check, i) => {
      probes.push({ column: c.name, check, alias: `${c.name}:${i}`, sql: `count(*) FILTER (WHERE ${fill(check.predicate, q)})` });
    });
    if (needs.stats) {
      const finite = `${q} NOT IN ('NaN', 'Infinity', '-Infinity')`;
      probes.push({ column: c.name, alias: `${c.name}:int`, sql: `max(length(trunc(abs(${q}))::text)) FILTER (WHERE ${finite})` });
      probes.push({ column: c.name, alias: `${c.name}:scale`, sql: `max(scale(${q})) FILTER (WHERE ${finite})` });
    }
    if (needsLength(c, keyed) || needsRailsLength(c.type, conventions)) {
      probes.push({ column: c.name, alias: `${c.name}:len`, sql: `max(${c.type.name === 'bytea' ? 'octet_length' : 'char_length'}(${q}))` });
    }
  }
  return probes;
}

/** The first offending row, by primary key when there is one (else its physical position, ctid). */
async function firstRow(client: PgClient, t: Table, from: string, predicate: string): Promise<string> {
  const key = t.primaryKey?.columns ?? [];
  const select = key.length > 0 ? key.map((k) => `${quotePg(k)}::text`).join(', ') : 'ctid::text';
  const r = await client.query({ text: `SELECT ${select} FROM ${from} WHERE ${predicate} LIMIT 1`, rowMode: 'array' });
  const values = (r.rows[0] as unknown[] | undefined) ?? [];
  return key.length > 0 ? key.map((k, i) => `${k}=${String(values[i])}`).join(', ') : `ctid ${String(values[0])}`;
}

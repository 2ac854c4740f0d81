import { qualifiedName, type Catalog } from '../model/catalog.js';
import { sourceKey, type TargetSchema } from '../model/target.js';
import type { PgClient } from '../source/postgres/connect.js';
import { quotePg } from '../source/postgres/quote.js';
import { isLiteralDefault, type DumpedDefault } from '../mapping/defaults.js';
import { fill, scanNeeds } from '../mapping/scan-model.js';
import type { Conventions } from '../mapping/conventions.js';

/**
 * Literal column defaults as pgmy dumps those values: PostgreSQL evaluates each default, cast to the
 * column's type, through the column's own COPY expression (`SELECT <expr> FROM (SELECT (<default>)::<type>
 * AS col)`), so the MySQL default is the very text LOAD DATA would load for that value: an interval
 * '00:05:00' becomes PT5M, a timestamptz its UTC time, a uuid lower-case (and hex for --conventions
 * django), an array its JSON. One query per table, in a savepoint: a default that does not evaluate keeps
 * the literal translation (and the rehearsal, or plan's notices, say the rest). Runs in the plan's snapshot.
 */
/** The value as COPY writes it: its type's output function (format's %s), not a cast to text (inet::text adds /32). */
const outputText = (expr: string): string => `CASE WHEN (${expr}) IS NULL THEN NULL ELSE format('%s', ${expr}) END`;

const PER_QUERY = 500;

interface Probe { readonly table: string; readonly cols: ReadonlyArray<{ readonly name: string; readonly inner: string; readonly outer: string }> }

export async function probeDefaults(
  client: PgClient, catalog: Catalog, target: TargetSchema, conventions?: Conventions,
): Promise<Map<string, Map<string, DumpedDefault>>> {
  const bySource = new Map(target.tables.map((t) => [sourceKey(t), t]));
  const probes: Probe[] = [];
  for (const t of catalog.tables) {
    const mapped = bySource.get(qualifiedName(t));
    const cols = t.columns.flatMap((c) => {
      const m = mapped?.columns.find((x) => x.name === c.name);
      if (c.defaultExpr === undefined || !isLiteralDefault(c.defaultExpr) || m === undefined || m.load !== 'direct' || m.rule.kind === 'unsupported') return [];
      // A default MySQL cannot hold (a date 'infinity', a NaN) is found by the column's own value checks.
      const bad = scanNeeds(c.type, catalog.server.versionNum, conventions).checks.map((k) => `(${fill(k.predicate, quotePg(c.name))})`);
      const outer = `CASE WHEN ${bad.length > 0 ? bad.join(' OR ') : 'false'} THEN 'bad' ELSE 'ok' END, ${outputText(m.selectExpr)}`;
      return [{ name: c.name, inner: `(${c.defaultExpr})::${c.type.display} AS ${quotePg(c.name)}`, outer }];
    });
    if (cols.length > 0) probes.push({ table: qualifiedName(t), cols });
  }
  const out = new Map<string, Map<string, DumpedDefault>>();
  // Tables in batches, one query each (one round trip, not three per table; a select list holds at most
  // 1664 entries); when a default of the batch fails to evaluate, its tables one by one.
  for (let from = 0; from < probes.length; from += PER_QUERY) {
    const batch = probes.slice(from, from + PER_QUERY);
    const all = await attempt(client, `SELECT ${batch.map((p) => `(${probeSql(p)})`).join(', ')}`);
    for (const [i, p] of batch.entries()) {
      const row = all ? all[i] as Array<string | null> : await attempt(client, probeSql(p)).then((r) => r?.[0] as Array<string | null> | undefined);
      if (row) out.set(p.table, new Map(p.cols.map((c, k): [string, DumpedDefault] => [c.name, row[2 * k] === 'bad' ? false : row[2 * k + 1] ?? null])));
    }
  }
  return out;
}

function probeSql(p: Probe): string {
  return `SELECT ARRAY[${p.cols.map((c) => c.outer).join(', ')}]::text[] FROM (SELECT ${p.cols.map((c) => c.inner).join(', ')}) AS d`;
}

/** The one row of a query run in a savepoint, as an array of its columns; undefined when it fails (the snapshot's transaction goes on). */
async function attempt(client: PgClient, sql: string): Promise<unknown[] | undefined> {
  await client.query('SAVEPOINT pgmy_default_probe');
  try {
    const r = await client.query({ text: sql, rowMode: 'array' });
    await client.query('RELEASE SAVEPOINT pgmy_default_probe');
    return (r.rows[0] ?? []) as unknown[];
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT pgmy_default_probe');
    return undefined;
  }
}

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

export async function probeDefaults(
  client: PgClient, catalog: Catalog, target: TargetSchema, conventions?: Conventions,
): Promise<Map<string, Map<string, DumpedDefault>>> {
  const out = new Map<string, Map<string, DumpedDefault>>();
  const bySource = new Map(target.tables.map((t) => [sourceKey(t), t]));
  for (const t of catalog.tables) {
    const mapped = bySource.get(qualifiedName(t));
    const cols = t.columns.flatMap((c) => {
      const m = mapped?.columns.find((x) => x.name === c.name);
      if (c.defaultExpr === undefined || !isLiteralDefault(c.defaultExpr) || m === undefined || m.load !== 'direct' || m.rule.kind === 'unsupported') return [];
      // A default MySQL cannot hold (a date 'infinity', a NaN) is found by the column's own value checks.
      const bad = scanNeeds(c.type, conventions).checks.map((k) => `(${fill(k.predicate, quotePg(c.name))})`);
      const outer = `CASE WHEN ${bad.length > 0 ? bad.join(' OR ') : 'false'} THEN 'bad' ELSE 'ok' END, ${outputText(m.selectExpr)}`;
      return [{ name: c.name, inner: `(${c.defaultExpr})::${c.type.display} AS ${quotePg(c.name)}`, outer }];
    });
    if (cols.length === 0) continue;
    const sql = `SELECT ${cols.map((c) => c.outer).join(', ')} FROM (SELECT ${cols.map((c) => c.inner).join(', ')}) AS d`;
    await client.query('SAVEPOINT pgmy_default_probe');
    try {
      const r = await client.query({ text: sql, rowMode: 'array' });
      const row = (r.rows[0] ?? []) as Array<string | null>;
      out.set(qualifiedName(t), new Map(cols.map((c, i): [string, DumpedDefault] => [c.name, row[2 * i] === 'bad' ? false : row[2 * i + 1] ?? null])));
      await client.query('RELEASE SAVEPOINT pgmy_default_probe');
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT pgmy_default_probe');
    }
  }
  return out;
}

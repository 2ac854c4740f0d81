import { connectMy, myQueryError, myTarget, serverInfo, type MyConnection, type ServerInfo } from '../target/mysql/connect.js';
import { rehearseSchema } from '../target/mysql/rehearse.js';
import { readJournal } from '../target/mysql/journal.js';
import { sourceKey, type Notice, type ServerFlavor, type TargetSchema } from '../model/target.js';
import { closePg, connectPg, pgQueryError, pgTarget } from '../source/postgres/connect.js';
import { targetUrl } from '../connection/url.js';
import { PgmyError } from '../errors.js';
import { findCollisions } from './collisions.js';
import { matchTables, type TableMatch } from '../mapping/data-only/match.js';
import { existingColumns } from '../target/mysql/existing-columns.js';
import { makePlan, type Plan, type PlanOptions } from './plan.js';
import { schemasOrDefault } from '../defaults.js';

export interface PlanRunOptions extends Omit<PlanOptions, 'schemas'> {
  readonly source: string;
  readonly sourcePassword?: string;
  readonly targetPassword?: string;
  /** With a target: its flavour, whether LOCAL INFILE is on, which tables already exist, key collisions. */
  readonly target?: string;
  readonly schemas?: readonly string[];
  /** With a target: how each dumped column would go into the target's existing tables (load --data-only). */
  readonly dataOnly?: boolean;
  readonly ignoreCase?: boolean;
  readonly allowMissingColumns?: boolean;
}

export interface PlanReport {
  readonly source: string;
  readonly target?: ServerInfo & { readonly url: string; readonly database: string; readonly existingTables: readonly string[] };
  readonly plan: Plan;
  readonly dataOnly?: { readonly matches: readonly TableMatch[]; readonly problems: readonly string[] };
  readonly blocked: boolean;
}

/** `pgmy plan`: what a migration would do, decided before any data moves. */
export async function plan(options: PlanRunOptions): Promise<PlanReport> {
  const source = pgTarget(options.source, options.sourcePassword);
  const client = await connectPg(source, 'pgmy plan');
  try {
    let result: Plan;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      result = await makePlan(client, { ...options, schemas: schemasOrDefault(options.schemas) });
    } catch (err) {
      throw pgQueryError(err, 'planning');
    }
    if (!options.target) return { source: targetUrl('postgres', source), plan: result, blocked: blocked(result) };
    const t = myTarget(options.target, options.targetPassword);
    const conn = await connectMy(t);
    try {
      const info = await serverInfo(conn);
      const [rows] = await conn.query("SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS n FROM information_schema.TABLES");
      const existing = new Set((rows as Array<{ n: string }>).map((r) => r.n));
      const names = result.target.tables.map((x) => `${x.database ?? t.database}.${x.name}`);
      const collation = result.target.textCollation;
      if (collation !== undefined && info.localInfile && !blocked(result)) {
        // A temporary table needs a current database; plan creates none, so it borrows one that exists.
        for (const db of [t.database, 'test', 'mysql']) if (await conn.query(`USE \`${db.replace(/`/g, '``')}\``).then(() => true, () => false)) break;
        const partitioned = (x: { sourceSchema: string; sourceName: string }) =>
          result.catalog.tables.find((c) => c.schema === x.sourceSchema && c.name === x.sourceName)?.kind === 'partitioned';
        const collisions = await findCollisions(client, conn, result.target, collation, partitioned).catch((err: unknown) => {
          throw err instanceof PgmyError ? err : myQueryError(err, `checking unique keys under ${collation}`);
        });
        result = { ...result, target: { ...result.target, notices: [...result.target.notices, ...collisions] } };
      }
      if (!options.dataOnly) {
        // load refuses a table it did not create (an application's own, empty or not): plan says so first.
        const journal = await readJournal(conn, t.database).catch(() => []);
        const ours = new Set(journal.filter((j) => j.kind === 'table' || j.kind === 'table-intent').map((j) => j.item));
        const foreign = result.target.tables.filter((x) => existing.has(`${x.database ?? t.database}.${x.name}`) && !ours.has(`${x.database ?? t.database}.${x.name}`));
        const refusals = foreign.map((x): Notice => ({
          level: 'error', table: sourceKey(x),
          message: `table ${x.database ?? t.database}.${x.name} already exists in the target and pgmy did not create it: load refuses it (its definition would be lost); load into a new database, or --data-only to load into it, or load --truncate to replace it`,
        }));
        result = { ...result, target: { ...result.target, notices: [...result.target.notices, ...refusals] } };
      }
      if (!blocked(result) && !options.dataOnly) result = { ...result, target: { ...result.target, notices: [...result.target.notices, ...await rehearsalNotices(conn, result.target, info.flavor)] } };
      const target = { ...info, url: targetUrl('mysql', t), database: t.database, existingTables: names.filter((n) => existing.has(n)) };
      const dataOnly = options.dataOnly
        ? matchTables(result.target.tables, await existingColumns(conn, t.database), { ignoreCase: options.ignoreCase ?? false, allowMissingColumns: options.allowMissingColumns ?? false })
        : undefined;
      return {
        source: targetUrl('postgres', source), target, plan: result, ...(dataOnly ? { dataOnly } : {}),
        blocked: blocked(result) || !info.localInfile || (dataOnly?.problems.length ?? 0) > 0,
      };
    } finally {
      await conn.end().catch(() => undefined);
    }
  } finally {
    await closePg(client).catch(() => undefined);
  }
}

/** plan --target builds the schema empty in scratch databases: what the server refuses is a blocker, named. */
async function rehearsalNotices(conn: MyConnection, schema: TargetSchema, flavor: ServerFlavor): Promise<Notice[]> {
  const r = await rehearseSchema(conn, schema, flavor);
  if (!r.ran) return [{ level: 'warning', message: `the schema could not be tried on the target (${r.reason}); what the server would refuse is known only when load creates it` }];
  return r.refused.map((x) => {
    return {
      level: 'error' as const, table: x.source,
      message: `the target refuses its ${x.step} (tried on an empty copy in a scratch database): ${x.message}`,
    };
  });
}

function blocked(p: Plan): boolean {
  return p.target.notices.some((n) => n.level === 'error');
}

import { connectMy, myTarget, serverInfo, type ServerInfo } from '../db/mysql.js';
import { connectPg, pgQueryError, pgTarget } from '../db/pg.js';
import { redactUrl } from '../db/url.js';
import { makePlan, type Plan, type PlanOptions } from './plan.js';

export interface PlanRunOptions extends Omit<PlanOptions, 'schemas'> {
  readonly source: string;
  /** With a target: its flavour, whether LOCAL INFILE is on, and which tables already exist there. */
  readonly target?: string;
  readonly schemas?: readonly string[];
}

export interface PlanReport {
  readonly source: string;
  readonly target?: ServerInfo & { readonly url: string; readonly database: string; readonly existingTables: readonly string[] };
  readonly plan: Plan;
  readonly blocked: boolean;
}

/** `pgmy plan`: what a migration would do, decided before any data moves. */
export async function plan(options: PlanRunOptions): Promise<PlanReport> {
  const client = await connectPg(pgTarget(options.source), 'pgmy plan');
  let result: Plan;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    result = await makePlan(client, { ...options, schemas: options.schemas && options.schemas.length > 0 ? options.schemas : ['public'] });
  } catch (err) {
    throw pgQueryError(err, 'planning');
  } finally {
    await client.end().catch(() => undefined);
  }
  let target: PlanReport['target'];
  if (options.target) {
    const t = myTarget(options.target);
    const conn = await connectMy(t);
    try {
      const info = await serverInfo(conn);
      const [rows] = await conn.query("SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS n FROM information_schema.TABLES");
      const existing = new Set((rows as Array<{ n: string }>).map((r) => r.n));
      const names = result.target.tables.map((x) => `${x.database ?? t.database}.${x.name}`);
      target = { ...info, url: redactUrl(options.target), database: t.database, existingTables: names.filter((n) => existing.has(n)) };
    } finally {
      await conn.end().catch(() => undefined);
    }
  }
  return {
    source: redactUrl(options.source), ...(target ? { target } : {}), plan: result,
    blocked: result.target.notices.some((n) => n.level === 'error') || (target !== undefined && !target.localInfile),
  };
}

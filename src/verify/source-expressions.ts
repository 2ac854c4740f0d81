import type { TargetColumn, TargetTable } from '../model/target.js';
import { PgmyError } from '../errors.js';
import { fill } from '../mapping/scan-model.js';
import { ruleById } from '../mapping/type-rules.js';
import { quotePg } from '../source/postgres/quote.js';

/**
 * verify with a dump folder runs the manifest's COPY expressions on the source. A dump folder may come from
 * another machine: each expression must be one pgmy writes for that column, given its name and recorded
 * rule (the rule's own expression, the text form, and the --on-unrepresentable=null CASE around either,
 * built from the rule's own value checks), else verify refuses before it sends anything to PostgreSQL.
 */
export function checkSourceExpressions(tables: readonly TargetTable[]): void {
  for (const t of tables) {
    for (const c of t.columns) {
      if (!isPgmyExpression(c)) {
        throw new PgmyError('manifest', `manifest.json: column ${t.sourceSchema}.${t.sourceName}.${c.name} has a COPY expression pgmy does not write: ${c.selectExpr}`, {
          table: t.name, column: c.name, hint: 'The manifest was edited; restore it from the machine that made the dump, or dump again.',
        });
      }
    }
  }
}

function isPgmyExpression(c: TargetColumn): boolean {
  const q = quotePg(c.name);
  const rule = ruleById(c.rule.kind);
  const own = typeof rule?.select === 'string' ? fill(rule.select, q) : rule?.select === undefined ? q : undefined;
  const bases = [`${q}::text`, ...(own !== undefined ? [own] : [])];
  const isBase = (e: string): boolean => bases.includes(e)
    || (typeof rule?.select === 'function' && new RegExp(`^"(?:[^"]|"")+"\\.hstore_to_json\\(${escape(q)}\\)$`).test(e));
  if (c.nullWhen === undefined) return isBase(c.selectExpr);
  const checks = (rule?.checks ?? []).map((k) => `(${fill(k.predicate, q)})`);
  const subsets = checks.reduce<string[][]>((all, k) => [...all, ...all.map((s) => [...s, k])], [[]]).filter((s) => s.length > 0);
  if (!subsets.some((s) => s.join(' OR ') === c.nullWhen)) return false;
  const m = /^CASE WHEN ([\s\S]+) THEN NULL ELSE ([\s\S]+) END$/.exec(c.selectExpr);
  return m?.[1] === c.nullWhen && m[2] !== undefined && isBase(m[2]);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

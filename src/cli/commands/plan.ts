import type { Argv } from 'yargs';
import { list, mappingOptions, planningOptions, prompted } from '../args.js';
import { EXIT, formatBytes, table, type Io } from '../output.js';
import { describeRule, defaultSource, qualifiedName, describeNotice, plan, type Notice, type Table } from '../../index.js';

export const command = 'plan';
export const describe = 'Say, before any data moves, what each table and column becomes and what cannot be carried';

export function builder(y: Argv) {
  return planningOptions(y
    .option('source', { type: 'string', describe: 'postgres://user@host:5432/dbname or host=… dbname=…; default: from PGSERVICE, PGHOST, PGPORT, PGUSER, PGDATABASE' })
    .option('target', { type: 'string', describe: 'mysql://… to check too (flavour, local_infile, existing tables)' }))
    .option('data-only', { type: 'boolean', default: false, describe: 'With --target: how each column would go into the target\'s existing tables (load --data-only)' })
    .option('ignore-case', { type: 'boolean', default: false, describe: 'With --data-only: match names without regard to case' })
    .option('allow-missing-columns', { type: 'boolean', default: false, describe: 'With --data-only: accept columns that exist on one side only' })
    .option('json', { type: 'boolean', default: false, describe: 'Write the plan as JSON' })
    .example('$0 plan --source postgres://app@db/shop', 'What would happen to shop')
    .example('$0 plan --source postgres://app@db/shop --target mysql://root@localhost/shop --json', 'The same, checking the target too, for machines');
}

export async function handler(args: Awaited<ReturnType<typeof builder>['argv']>, io: Io, quiet: boolean): Promise<number> {
  const report = await plan({
    ...prompted(args), source: args.source ?? defaultSource(), ...(args.target ? { target: args.target } : {}),
    schemas: list(args.schema), tables: list(args.tables), excludeTables: list(args['exclude-tables']),
    scan: !args['skip-scan'], ...mappingOptions(args),
    dataOnly: args['data-only'], ignoreCase: args['ignore-case'], allowMissingColumns: args['allow-missing-columns'],
  });
  const { catalog, target } = report.plan;
  if (args.json) {
    io.out(JSON.stringify({
      source: report.source, target: report.target, blocked: report.blocked,
      tables: target.tables.map((t, i) => ({
        source: `${t.sourceSchema}.${t.sourceName}`, target: t.name, estimatedRows: catalog.tables[i]?.estimatedRows, rowsCounted: catalog.tables[i]?.rowsCounted === true,
        columns: t.columns.map((c) => ({ name: c.name, sourceType: c.sourceType, mysqlType: c.sqlType, rule: describeRule(c.rule), nullable: c.nullable, autoIncrement: c.autoIncrement })),
        primaryKey: t.primaryKey, indexes: t.indexes, foreignKeys: t.foreignKeys, autoIncrement: t.autoIncrement,
      })),
      notices: target.notices,
      ...(report.dataOnly ? { dataOnly: {
        problems: report.dataOnly.problems,
        tables: report.dataOnly.matches.map((m) => ({ source: m.table.name, target: m.targetName, columns: m.columns.map((c) => ({
          source: c.source.name, sourceType: c.source.sourceType, target: c.target?.name ?? null, targetType: c.target?.columnType ?? null,
          conversion: c.target ? c.conversion.kind : 'skipped', why: 'why' in c.conversion ? c.conversion.why : undefined,
        })) })),
      } } : {}),
    }, null, 2) + '\n');
    return report.blocked ? EXIT.blocked : EXIT.ok;
  }
  if (!quiet) {
    io.out(`plan for ${report.source}${report.target ? ` → ${report.target.flavor} ${report.target.version} (${report.target.url})` : ''}\n\n`);
    io.out(summary(report.blocked, target.tables.length, target.notices));
    for (const [i, t] of target.tables.entries()) {
      const src = catalog.tables[i];
      io.out(`${src ? qualifiedName(src) : t.name} → ${t.database !== undefined ? `${t.database}.` : ''}${t.name}  (${rowsText(src)}, ${formatBytes(src?.estimatedBytes ?? 0)})\n`);
      io.out(table(['column', 'PostgreSQL', 'MySQL', 'rule'], t.columns.map((c) => [c.name, c.sourceType, c.sqlType + (c.autoIncrement ? ' AUTO_INCREMENT' : ''), describeRule(c.rule)])).replace(/^/gm, '  '));
      const extra = [
        t.primaryKey ? `primary key (${t.primaryKey.join(', ')})` : 'no primary key',
        t.autoIncrement ? `AUTO_INCREMENT = ${t.autoIncrement.next}` : '',
      ].filter(Boolean).join('; ');
      io.out(`  ${extra}\n`);
      // Every key, index and foreign key it will build after the data, by name.
      for (const ix of t.indexes) io.out(`  ${ix.unique ? 'unique index' : 'index'} ${ix.name} (${ix.parts.map((p) => p.column + (p.prefixChars ? `(${p.prefixChars})` : '') + (p.descending ? ' DESC' : '')).join(', ')})\n`);
      for (const fk of t.foreignKeys) io.out(`  foreign key ${fk.name} (${fk.columns.join(', ')}) → ${fk.refTable} (${fk.refColumns.join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}\n`);
      io.out('\n');
    }
  }
  for (const level of ['info', 'warning', 'error'] as const) {
    const ns = target.notices.filter((n) => n.level === level);
    if (ns.length === 0 || (quiet && level !== 'error')) continue;
    io.out(`${level === 'error' ? 'BLOCKERS (nothing will move until these are solved)' : level === 'warning' ? 'not carried, or carried differently' : 'notes'}:\n`);
    for (const n of ns) io.out(`  - ${describeNotice(n)}\n`);
    io.out('\n');
  }
  if (report.dataOnly && !quiet) {
    io.out(`into the existing tables of ${report.target?.database} (load --data-only):\n`);
    for (const m of report.dataOnly.matches) {
      io.out(`  ${m.table.name} → ${m.targetName}\n`);
      for (const c of m.columns) {
        const how = !c.target ? 'skipped (no such column in the target)' : c.conversion.kind === 'direct' ? 'as is' : c.conversion.why;
        io.out(`    ${c.source.name} (${c.source.sourceType}) → ${c.target ? `${c.target.name} ${c.target.columnType}` : '-'}: ${how}\n`);
      }
    }
    for (const p of report.dataOnly.problems) io.out(`  BLOCKER: ${p}\n`);
    io.out('\n');
  }
  if (report.target) {
    if (!report.target.localInfile) io.out(`BLOCKER: the target has local_infile off; run SET GLOBAL local_infile = 1 there.\n`);
    if (report.target.existingTables.length > 0) io.out(`the target database ${report.target.database} already has: ${report.target.existingTables.join(', ')} (load refuses tables holding rows it did not load unless --truncate)\n`);
  }
  io.out(report.blocked ? 'plan: BLOCKED\n' : `plan: ready (${target.tables.length} tables)\n`);
  return report.blocked ? EXIT.blocked : EXIT.ok;
}

/**
 * The plan's first screen, for schemas whose details run to thousands of lines: the verdict, every blocker,
 * and counts of changes and of what is not carried, by kind (the details follow, and the verdict again last).
 */
export function summary(blocked: boolean, tables: number, notices: readonly Notice[]): string {
  const errors = notices.filter((n) => n.level === 'error');
  const byKind = new Map<string, number>();
  for (const n of notices.filter((x) => x.level === 'warning')) {
    const kind = /^(partial unique index|exclusion constraint|foreign key|key column|generated column|materialized view|extension table|check|index|sequence|default|view|trigger|function|procedure|domain|cast|column|tables|inherits)\b/.exec(n.message)?.[1] ?? 'other';
    const label = kind === 'tables' || kind === 'inherits' ? 'inheritance' : kind;
    byKind.set(label, (byKind.get(label) ?? 0) + 1);
  }
  const lines = [`verdict: ${blocked ? `BLOCKED (${errors.length} blocker${errors.length === 1 ? '' : 's'})` : `ready (${tables} tables)`}`];
  for (const n of errors) lines.push(`  blocker: ${describeNotice(n)}`);
  lines.push(`changes of form: ${notices.filter((n) => n.level === 'info').length} (notes below)`);
  lines.push(`not carried or carried differently: ${[...byKind.values()].reduce((a, b) => a + b, 0)}${byKind.size > 0 ? ` (${[...byKind].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
  return lines.join('\n') + '\n\n';
}

/** Counted by the scan, estimated by PostgreSQL, or unknown (never analysed, not scanned). */
function rowsText(t: Table | undefined): string {
  if (t === undefined || t.rowsUnknown) return 'rows unknown: never analysed';
  return t.rowsCounted ? `${t.estimatedRows} rows` : `about ${Math.round(t.estimatedRows)} rows`;
}

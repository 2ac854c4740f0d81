import { PgmyError } from '../errors.js';
import type { Notice, TargetSchema } from '../model/target.js';

export function describeNotice(n: Notice): string {
  const where = [n.table, n.column].filter(Boolean).join('.');
  return `${where ? `${where}: ` : ''}${n.message}`;
}

/**
 * The error that stops a migration, listing every blocker; undefined when none. It stops it before any data
 * moves, unless `stopped` says what happened instead (a value found by the dump's own COPY).
 */
export function blockersError(target: TargetSchema, stopped = 'nothing was dumped'): PgmyError | undefined {
  const errors = target.notices.filter((n) => n.level === 'error');
  const first = errors[0];
  if (!first) return undefined;
  return new PgmyError('unsupported',
    `Cannot carry ${errors.length === 1 ? 'this' : `these ${errors.length} things`} exactly, so ${stopped}:\n` +
    errors.map((n) => `  - ${describeNotice(n)}`).join('\n'), {
      ...(first.table !== undefined ? { table: first.table } : {}),
      ...(first.column !== undefined ? { column: first.column } : {}),
      hint: 'Exclude those tables (--exclude-tables), or change the columns in PostgreSQL; `pgmy plan` lists every decision.',
    });
}

import { quoteMy } from '../target/mysql/quote.js';
import { quotePg } from '../source/postgres/quote.js';
import type { TableMatch } from '../mapping/data-only/match.js';
import { canonFor, type ColumnCanon } from '../mapping/compare-form.js';

/**
 * Canonical forms for a table loaded with --data-only: the PostgreSQL side as usual, the MySQL side read
 * from the target's own column and turned back into the same form where the load converted it. Columns
 * that exist on one side only are not compared.
 */
export function dataOnlyCanon(m: TableMatch): { columns: ColumnCanon[]; pgSelect: string[]; key: number[] } {
  const columns: ColumnCanon[] = [];
  const key: number[] = [];
  for (const c of m.columns) {
    if (!c.target) continue;
    const pg = canonFor(c.source);
    const my = canonFor({ ...c.source, name: c.target.name }).my;
    const t = quoteMy(c.target.name);
    const uuidFrom = (hex: string) => `LOWER(CONCAT_WS('-', SUBSTR(${hex}, 1, 8), SUBSTR(${hex}, 9, 4), SUBSTR(${hex}, 13, 4), SUBSTR(${hex}, 17, 4), SUBSTR(${hex}, 21, 12)))`;
    let canon: ColumnCanon = { ...pg, my };
    if (c.conversion.kind === 'sql' && c.source.rule.kind === 'uuid') {
      canon = { ...pg, my: uuidFrom(c.target.dataType === 'binary' ? `HEX(${t})` : t) };
    } else if (c.conversion.kind === 'js') {
      canon = { name: c.source.name, pg: `(extract(epoch FROM ${quotePg(c.source.name)}) * 1000000)::bigint::text`, my: `CAST(${t} AS CHAR)`, compare: 'text', order: 'integer' };
    }
    if (m.table.primaryKey?.includes(c.source.name)) key.push(columns.length);
    columns.push({ ...canon, myColumn: c.target.name });
  }
  return { columns, pgSelect: columns.map((c) => c.pg), key };
}

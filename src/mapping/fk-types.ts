import type { Table } from '../model/catalog.js';
import { qualifiedName } from '../model/catalog.js';
import type { TargetColumn } from '../model/target.js';
import type { Note } from './map-column.js';

/**
 * InnoDB wants the two sides of a foreign key to have the same integer type and the same DECIMAL precision
 * (MariaDB refuses `smallint REFERENCES int` with error 1005/150, MySQL with 3780), which PostgreSQL does not.
 * Every column joined by foreign keys gets the widest type of its group: a wider type holds every value, so
 * nothing changes but the width. A LONGTEXT that references a VARCHAR key takes the key's VARCHAR: its values
 * are the key's values.
 */
export interface MappedTable {
  readonly table: Table;
  columns: TargetColumn[];
  readonly note: Note;
}

const INTEGER_RANK: Record<string, number> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 8 };

interface Shape {
  readonly family: 'integer' | 'decimal' | 'string' | 'other';
  readonly rank: number;
  readonly scale: number;
  readonly unsigned: boolean;
}

function shapeOf(sqlType: string): Shape {
  const int = /^(TINYINT|SMALLINT|MEDIUMINT|INT|BIGINT)( UNSIGNED)?$/.exec(sqlType);
  if (int?.[1] !== undefined) return { family: 'integer', rank: INTEGER_RANK[int[1]] ?? 0, scale: 0, unsigned: int[2] !== undefined };
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(sqlType);
  if (dec) return { family: 'decimal', rank: Number(dec[1]) - Number(dec[2]), scale: Number(dec[2]), unsigned: false };
  const str = /^(VARCHAR\((\d+)\)|LONGTEXT)(.*)$/.exec(sqlType);
  if (str) return { family: 'string', rank: str[2] !== undefined ? Number(str[2]) : -1, scale: 0, unsigned: false };
  return { family: 'other', rank: 0, scale: 0, unsigned: false };
}

function widened(c: TargetColumn, group: readonly TargetColumn[]): { sqlType: string; maxBytes: number } | undefined {
  const shapes = group.map((g) => shapeOf(g.sqlType));
  const mine = shapeOf(c.sqlType);
  if (shapes.some((s) => s.family !== mine.family) || mine.family === 'other') return undefined;
  if (mine.family === 'integer') {
    if (shapes.some((s) => s.unsigned !== mine.unsigned)) return undefined;
    const top = Math.max(...shapes.map((s) => s.rank));
    if (top === mine.rank) return undefined;
    const name = Object.keys(INTEGER_RANK).find((k) => INTEGER_RANK[k] === top) ?? 'BIGINT';
    return { sqlType: `${name}${mine.unsigned ? ' UNSIGNED' : ''}`, maxBytes: top };
  }
  if (mine.family === 'decimal') {
    const digits = Math.max(...shapes.map((s) => s.rank));
    const scale = Math.max(...shapes.map((s) => s.scale));
    if ((digits === mine.rank && scale === mine.scale) || digits + scale > 65 || scale > 30) return undefined;
    return { sqlType: `DECIMAL(${digits + scale},${scale})`, maxBytes: Math.ceil((digits + scale) / 2) + 1 };
  }
  // Strings: only a LONGTEXT joined to VARCHAR keys changes (InnoDB accepts VARCHARs of different lengths).
  if (mine.rank >= 0) return undefined;
  const top = Math.max(...shapes.map((s) => s.rank));
  if (top < 0) return undefined;
  return { sqlType: `VARCHAR(${top})${c.sqlType.slice('LONGTEXT'.length)}`, maxBytes: top * 4 + 2 };
}

/** Makes the columns that foreign keys join have types InnoDB accepts on both sides, noting each change. */
export function unifyForeignKeyTypes(tables: readonly MappedTable[]): void {
  const byKey = new Map(tables.map((m) => [qualifiedName(m.table), m]));
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  const id = (table: string, column: string): string => `${table}\u0000${column}`;
  for (const m of tables) {
    for (const fk of m.table.foreignKeys) {
      const ref = `${fk.refSchema}.${fk.refTable}`;
      if (!byKey.has(ref)) continue;
      fk.columns.forEach((col, i) => {
        const other = fk.refColumns[i];
        if (other === undefined) return;
        const a = find(id(qualifiedName(m.table), col));
        const b = find(id(ref, other));
        if (a !== b) parent.set(a, b);
      });
    }
  }
  const groups = new Map<string, Array<{ m: MappedTable; column: string }>>();
  for (const key of parent.keys()) {
    const [table, column] = key.split('\u0000') as [string, string];
    const m = byKey.get(table);
    if (!m) continue;
    const root = find(key);
    groups.set(root, [...(groups.get(root) ?? []), { m, column }]);
  }
  for (const members of groups.values()) {
    const cols = members.map(({ m, column }) => m.columns.find((c) => c.name === column)).filter((c): c is TargetColumn => c !== undefined);
    if (new Set(cols.map((c) => c.sqlType)).size < 2) continue;
    const changes = members.map(({ m, column }) => {
      const c = m.columns.find((x) => x.name === column);
      return { m, c, to: c ? widened(c, cols) : undefined };
    });
    for (const { m, c, to } of changes) {
      if (!c || !to) continue;
      m.columns = m.columns.map((x) => (x.name === c.name ? { ...x, ...to } : x));
      const joined = members.filter((x) => x.m !== m || x.column !== c.name).map((x) => `${qualifiedName(x.m.table)}.${x.column}`).join(', ');
      m.note({ level: 'info', column: c.name, message: `${c.sqlType} becomes ${to.sqlType} to match ${joined}, which a foreign key joins it to: InnoDB needs the same type on both sides` });
    }
  }
}
